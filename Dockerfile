# One image for every Cinemesh process; the command picks the entry point (docker-compose.yml runs
# `node dist/<service>/main.js`, the same compiled entries `npm start` runs). The runtime stage has
# the compiled code (SQL migrations copied beside it by the build) and production dependencies only.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/package.json .
ENV BIND_HOST=0.0.0.0 NODE_ENV=production
USER node
CMD ["node", "dist/platform/launcher/main.js"]
