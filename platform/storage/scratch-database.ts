import { randomBytes } from "node:crypto";
import pg from "pg";

/** A database that lives as long as a test run or a benchmark's mesh; `drop()` removes every trace of it. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, uniquely named database on a shared server, dropped (connections and all) afterwards. */
export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `cinemesh_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
