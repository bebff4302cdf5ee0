# claimgraph API. Run it with docker compose (docker-compose.yml), which provides PostgreSQL;
# with DATABASE_URL unset, the container would start its own embedded PostgreSQL instead.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN useradd --system --create-home --uid 10001 --shell /usr/sbin/nologin claimgraph
WORKDIR /app

# Dependencies first, from the hash-pinned lock, in their own layer: code changes reuse it.
COPY requirements/runtime.lock requirements/runtime.lock
RUN pip install --require-hashes --no-deps -r requirements/runtime.lock

COPY pyproject.toml README.md ./
COPY api ./api
COPY fixtures ./fixtures
RUN pip install --no-deps --no-build-isolation --no-index --editable . \
    && python -m api check fixtures

USER claimgraph
# A published service limits its clients (a checkout does not): reads per client, writes per key.
ENV HOST=0.0.0.0 \
    PORT=8000 \
    CLAIMGRAPH_HOME=/home/claimgraph/data \
    CLAIMGRAPH_RATE_LIMIT_READS=600/minute \
    CLAIMGRAPH_RATE_LIMIT_WRITES=120/minute
EXPOSE 8000

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(0 if urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/readyz\", timeout=2).status == 200 else 1)"]

ENTRYPOINT ["claimgraph"]
CMD ["serve"]
