/** What the benchmark's trivial RPC returns, and so what the reference server must answer too. */
export const HOP_GENRES = [
  { name: "Action", slug: "action", contentCount: 120 },
  { name: "Comedy", slug: "comedy", contentCount: 95 },
  { name: "Drama", slug: "drama", contentCount: 210 },
];
