// SSM Parameter Store (AWS JSON 1.1, target prefix "AmazonSSM").
import { AwsError, bool, list, num, page, rec, str, strs, unknownAction, type Rec, type Service } from './protocol';

interface Param {
  Name: string;
  Type: string;
  Value: string;
  Version: number;
  LastModifiedDate: number;
  DataType: string;
  Description?: string;
}

const TYPES = ['String', 'StringList', 'SecureString'];
const invalid = (message: string): AwsError => new AwsError('ValidationException', message);

export class SsmService implements Service {
  private params = new Map<string, Param>();
  onChange = (): void => {};

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  handle(action: string, i: Rec): unknown {
    switch (action) {
      case 'GetParameter':
        return { Parameter: this.view(this.must(str(i.Name)), bool(i.WithDecryption)) };
      case 'GetParameters': {
        const names = strs(i.Names);
        const found = names.filter((n) => this.params.has(n));
        return {
          Parameters: found.map((n) => this.view(this.must(n), bool(i.WithDecryption))),
          InvalidParameters: names.filter((n) => !this.params.has(n)),
        };
      }
      case 'PutParameter':
        return this.put(str(i.Name) ?? '', str(i.Value), { type: str(i.Type), overwrite: bool(i.Overwrite), description: str(i.Description) });
      case 'GetParametersByPath': {
        const path = str(i.Path) ?? '';
        if (!path.startsWith('/')) throw invalid('The parameter path must begin with a forward slash "/".');
        const max = num(i.MaxResults) ?? 10;
        if (max < 1 || max > 10) throw invalid(`Value '${max}' at 'maxResults' failed to satisfy constraint: Member must be between 1 and 10`);
        const matches = this.sorted().filter((p) => underPath(p.Name, path, bool(i.Recursive) ?? false));
        const { items, next } = page(matches, i.NextToken, max);
        return { Parameters: items.map((p) => this.view(p, bool(i.WithDecryption))), NextToken: next };
      }
      case 'DeleteParameter':
        this.params.delete(this.must(str(i.Name)).Name);
        this.onChange();
        return {};
      case 'DeleteParameters': {
        const names = strs(i.Names);
        const deleted = names.filter((n) => this.params.delete(n));
        this.onChange();
        return { DeletedParameters: deleted, InvalidParameters: names.filter((n) => !deleted.includes(n)) };
      }
      case 'DescribeParameters': {
        const { items, next } = page(this.sorted().filter((p) => matchesFilters(p, i)), i.NextToken, num(i.MaxResults) ?? 50);
        return {
          Parameters: items.map((p) => ({
            Name: p.Name, ARN: this.arn(p.Name), Type: p.Type, Description: p.Description, Version: p.Version,
            LastModifiedDate: new Date(p.LastModifiedDate), LastModifiedUser: `arn:aws:iam::${this.accountId}:root`,
            Tier: 'Standard', Policies: [], DataType: p.DataType,
          })),
          NextToken: next,
        };
      }
      default:
        throw unknownAction(action);
    }
  }

  /** PutParameter for programmatic seeding; same rules as the API. */
  put(name: string, value: string | undefined, opts: { type?: string; overwrite?: boolean; description?: string } = {}): Rec {
    if (!/^[a-zA-Z0-9_.\-/]{1,2048}$/.test(name)) throw invalid(`Parameter name may only contain letters, numbers, "_", ".", "-" and "/": ${name}`);
    if (!value) throw invalid("Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
    if (value.length > 4096) throw invalid('Standard tier parameters support a maximum parameter value of 4096 characters.');
    const current = this.params.get(name);
    if (current && !opts.overwrite) {
      const message = 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.';
      throw new AwsError('ParameterAlreadyExists', message);
    }
    const type = opts.type ?? current?.Type;
    if (!type) throw invalid('A parameter type is required when you create a parameter.');
    if (!TYPES.includes(type)) throw invalid(`Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [${TYPES}]`);
    const param: Param = {
      Name: name, Type: type, Value: value, Version: (current?.Version ?? 0) + 1, LastModifiedDate: Date.now(),
      DataType: 'text', Description: opts.description ?? current?.Description,
    };
    this.params.set(name, param);
    this.onChange();
    return { Version: param.Version, Tier: 'Standard' };
  }

  get(name: string): string | undefined {
    return this.params.get(name)?.Value;
  }

  snapshot(): unknown {
    return [...this.params.values()];
  }

  restore(data: unknown): void {
    this.params = new Map((list(data) as Param[]).map((p) => [p.Name, p]));
  }

  private must(name: string | undefined): Param {
    const p = name === undefined ? undefined : this.params.get(name);
    if (!p) throw new AwsError('ParameterNotFound', `Parameter ${name ?? ''} not found.`);
    return p;
  }

  private sorted(): Param[] {
    return [...this.params.values()].sort((a, b) => a.Name.localeCompare(b.Name));
  }

  private arn(name: string): string {
    return `arn:aws:ssm:${this.region}:${this.accountId}:parameter/${name.replace(/^\//, '')}`;
  }

  private view(p: Param, decrypt = false): Rec {
    // Without decryption AWS returns the KMS ciphertext; an opaque base64 string stands in for it.
    const value = p.Type === 'SecureString' && !decrypt ? Buffer.from(`local-kms:${p.Value}`).toString('base64') : p.Value;
    const { Name, Type, Version, DataType } = p;
    return { Name, Type, Value: value, Version, LastModifiedDate: new Date(p.LastModifiedDate), ARN: this.arn(Name), DataType };
  }
}

function underPath(name: string, path: string, recursive: boolean): boolean {
  const prefix = path.endsWith('/') ? path : `${path}/`;
  return name.startsWith(prefix) && (recursive || !name.slice(prefix.length).includes('/'));
}

function matchesFilters(p: Param, input: Rec): boolean {
  const checks = [
    ...list(input.ParameterFilters).map((f) => ({ key: str(rec(f).Key), option: str(rec(f).Option), values: strs(rec(f).Values) })),
    ...list(input.Filters).map((f) => ({ key: str(rec(f).Key), option: 'BeginsWith', values: strs(rec(f).Values) })),
  ];
  return checks.every(({ key, option, values }) => {
    switch (key) {
      case 'Name':
        return values.some((v) => (option === 'BeginsWith' ? p.Name.startsWith(v) : option === 'Contains' ? p.Name.includes(v) : p.Name === v));
      case 'Path':
        return values.some((v) => underPath(p.Name, v, option === 'Recursive'));
      case 'Type':
        return values.includes(p.Type);
      default:
        return true;
    }
  });
}
