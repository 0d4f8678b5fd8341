# syntax=docker/dockerfile:1.7
# The Octobus images, built from the repository root: the client and the producer come from the
# one uv.lock, installed with --frozen so every package is the locked version with its hash
# checked. Targets: `gateway` (the default, `octobus serve`) and `consumer` (the example).
#
#   docker build -t octobus .
#   docker build --target consumer -t octobus-consumer-example .

ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# uv comes from its official image, pinned like every other input.
FROM ghcr.io/astral-sh/uv:0.13.9 AS uv

# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build-base
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3 \
    UV_PROJECT_ENVIRONMENT=/opt/octobus
WORKDIR /src
# Workspace manifests and the lock first: the dependency layer is rebuilt only when they change.
COPY pyproject.toml uv.lock ./
COPY schemas-client/pyproject.toml schemas-client/README.md schemas-client/
COPY producer/pyproject.toml producer/README.md producer/
COPY consumer-example/pyproject.toml consumer-example/README.md consumer-example/
COPY devstack/pyproject.toml devstack/README.md devstack/

# ---------------------------------------------------------------------------------------------
FROM build-base AS build-gateway
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package octobus
COPY schemas-client/src schemas-client/src
COPY producer/src producer/src
# --no-editable: the environment holds real installs and no longer needs /src.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package octobus

# ---------------------------------------------------------------------------------------------
FROM build-base AS build-consumer
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package octobus-consumer-example
COPY schemas-client/src schemas-client/src
COPY consumer-example/src consumer-example/src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package octobus-consumer-example

# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime-base
ARG VERSION=0.0.0.dev0
ARG REVISION=unknown
LABEL org.opencontainers.image.source="https://github.com/octobus/octobus" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.vendor="Octobus developers" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# A fixed numeric uid, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
RUN groupadd --system --gid 10001 octobus \
    && useradd --system --uid 10001 --gid octobus --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin octobus
ENV PATH=/opt/octobus/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /opt/octobus

# ---------------------------------------------------------------------------------------------
FROM runtime-base AS consumer
LABEL org.opencontainers.image.title="octobus-consumer-example" \
      org.opencontainers.image.description="An example typed FastStream consumer of Octobus events."
COPY --from=build-consumer /opt/octobus /opt/octobus
COPY docker/consumer_healthcheck.py /opt/octobus/consumer_healthcheck.py
USER 10001:10001
HEALTHCHECK --interval=15s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "/opt/octobus/consumer_healthcheck.py"]
CMD ["octobus-consumer-example", "--from-beginning", "--log-level", "INFO"]

# ---------------------------------------------------------------------------------------------
# The default target, last: `docker build .` gives the gateway.
FROM runtime-base AS gateway
LABEL org.opencontainers.image.title="octobus" \
      org.opencontainers.image.description="The Octobus gateway: GitHub webhook deliveries in, typed Avro events on Kafka out."
COPY --from=build-gateway /opt/octobus /opt/octobus
USER 10001:10001
EXPOSE 8080
# python, not curl: the slim image has no curl, and installing it only for this adds attack surface.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status != 200)"]
CMD ["octobus", "serve", "--host", "0.0.0.0", "--port", "8080"]
