import fs from 'node:fs';
import path from 'node:path';
import { API_DOCS_DIR, buildApiDocuments } from './api-documents';

/** `npm run docs:api`: writes docs/api/ from the code (see api-documents.ts). */
async function main(): Promise<void> {
  fs.mkdirSync(API_DOCS_DIR, { recursive: true });
  for (const [name, contents] of await buildApiDocuments()) {
    fs.writeFileSync(path.join(API_DOCS_DIR, name), contents);
    console.log(`wrote docs/api/${name}`);
  }
  process.exit(0); // the handlers' modules hold SDK clients open
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
