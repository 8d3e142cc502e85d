// tsc compiles .ts only; the SQL migrations that sit beside the code must sit beside the
// compiled code too, so `new URL("./migrations/", import.meta.url)` works from src and dist alike.
import { cp, readdir } from "node:fs/promises";
import path from "node:path";

const roots = ["platform", "services", "edge-gateway"];
for (const root of roots) {
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name !== "migrations") continue;
    const dir = path.join(entry.parentPath, entry.name);
    await cp(dir, path.join("dist", dir), { recursive: true });
  }
}
