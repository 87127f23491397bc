import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { Attribute, Property, PropertyType, Resource, SpecDatabase, TypeDefinition } from '@aws-cdk/service-spec-types';

/*
 * AWS's CloudFormation resource specification (the registry schemas of every resource type, as
 * @aws-cdk/aws-service-spec ships them in db.json.gz), behind the few questions the checks ask.
 * Loading takes about a second, so it is done once per process.
 */

export type { Attribute, Property, PropertyType, Resource, TypeDefinition };

export class ResourceSpec {
  constructor(private readonly db: SpecDatabase) {}

  /** The resource type, or undefined when CloudFormation has no such type. */
  resource(cloudFormationType: string): Resource | undefined {
    return this.db.lookup('resource', 'cloudFormationType', 'equals', cloudFormationType)[0];
  }

  /** The property type (a nested structure) a `ref` type points at. */
  definition(type: Extract<PropertyType, { type: 'ref' }>): TypeDefinition {
    return this.db.get('typeDefinition', type.reference);
  }

  /** Every resource type name, for "did you mean" hints. */
  resourceTypeNames(): string[] {
    return this.db.all('resource').map((r) => r.cloudFormationType);
  }

  /** `String`, `List<KeySchema>`, `Map<String>`, `Json | String`: a type as messages spell it. */
  describe(type: PropertyType): string {
    switch (type.type) {
      case 'string':
        return type.allowedValues?.length ? `String (${type.allowedValues.join(' | ')})` : 'String';
      case 'number':
        return 'Number';
      case 'integer':
        return 'Integer';
      case 'boolean':
        return 'Boolean';
      case 'json':
        return 'Json';
      case 'date-time':
        return 'Timestamp';
      case 'null':
        return 'Null';
      case 'tag':
        return 'Tag';
      case 'array':
        return `List<${this.describe(type.element)}>`;
      case 'map':
        return `Map<${this.describe(type.element)}>`;
      case 'ref':
        return this.definition(type).name;
      case 'union':
        return type.types.map((t) => this.describe(t)).join(' | ');
    }
  }
}

/** The types a value may have: the current one and the ones the property had before (still accepted). */
export function acceptedTypes(field: Pick<Property, 'type' | 'previousTypes'>): PropertyType[] {
  return [field.type, ...(field.previousTypes ?? [])];
}

let loaded: ResourceSpec | undefined;

export function loadSpec(): ResourceSpec {
  loaded ??= new ResourceSpec(loadAwsServiceSpecSync());
  return loaded;
}
