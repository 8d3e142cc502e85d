/** A service's Postgres schema name: a plain lower-case identifier, so it can be written into SQL. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function isSchemaName(schema: string): boolean {
  return SCHEMA_NAME.test(schema);
}

/** The schema name quoted for SQL; throws on anything but a plain identifier. */
export function quoteSchema(schema: string): string {
  if (!isSchemaName(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  return `"${schema}"`;
}
