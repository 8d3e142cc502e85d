import { startPlayerServer } from "./server.js";

// `npm run player`: the web player on PLAYER_PORT (default 8090), for the mesh `npm start` runs.
const port = Number(process.env.PLAYER_PORT ?? 8090);
const { url } = await startPlayerServer(port);
console.log(`web player on ${url}/?api=http://127.0.0.1:8080&token=<access token>&profile=<profile id>&video=<video id>`);
