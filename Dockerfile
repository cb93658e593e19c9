# syntax=docker/dockerfile:1
# Build: docker build -t dealgraph .   Run: docker run -p 8000:8000 dealgraph

# The browser pages (GraphiQL, the explorer), built from web/'s pinned packages.
FROM node:20-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web ./
RUN npm run build

FROM python:3.11-slim AS build
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY api ./api
RUN /opt/venv/bin/pip install --no-deps .
COPY seeds ./seeds
# The store is built into the image, so a container serves the seed facts read-only.
RUN mkdir /data && DATABASE_URL=sqlite:////data/dealgraph.db /opt/venv/bin/dealgraph load --seeds seeds

FROM python:3.11-slim AS runtime
RUN groupadd --system --gid 10001 dealgraph && useradd --system --uid 10001 --gid 10001 --no-create-home dealgraph
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=10001:10001 /data /data
COPY --from=web /web/dist /opt/web
ENV PATH=/opt/venv/bin:$PATH \
    DATABASE_URL=sqlite:////data/dealgraph.db \
    WEB_DIR=/opt/web \
    PYTHONUNBUFFERED=1
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
CMD ["dealgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
