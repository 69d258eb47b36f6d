# The image every Kubeflow task runs (`sealed compile --image <registry>/sealed-pipelines:<tag>`):
# Node 20 on Debian slim, production dependencies only, sources compiled to dist/app at build time,
# a numeric non-root user so Kubernetes can enforce runAsNonRoot. KFP ignores ENTRYPOINT and
# runs the compiled command: node /app/bin/sealed-executor --component <name> --executor-input {{$}}.
#
#   docker build -t myacr.azurecr.io/sealed-pipelines:0.1.0 .
FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
# onnxruntime-node is a dev dependency; the variable keeps any install script from downloading.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY scripts/buildApp.mjs ./scripts/buildApp.mjs
# The sources compiled once, here (with the esbuild tsx brings), into dist/app: tasks start from
# JavaScript instead of transpiling at every start (bin/entry.mjs falls back to tsx only if it is stale).
RUN node scripts/buildApp.mjs
# The node image's unprivileged user, by number.
USER 1000:1000
CMD ["node", "/app/bin/sealed", "--help"]
