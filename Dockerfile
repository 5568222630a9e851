# syntax=docker/dockerfile:1
#
# Sammen API: one image, one binary. PostgreSQL or SQLite is chosen at run time by DATABASE_URL.
# Build:  docker build -t sammen .          (needs BuildKit: the default since Docker Engine 23)
# Run:    see docker-compose.yml and docs/deployment.md

# ---- build ------------------------------------------------------------------------------------
FROM rust:1.95-bookworm AS build

# libpq for diesel's PostgreSQL backend; SQLite is compiled in (bundled), which needs a C compiler
# (already in the rust image).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /build
COPY . .

# The cargo registry and the target folder live in BuildKit cache mounts, so a rebuild after a
# source change recompiles only the workspace crates. A cache mount is not part of the image,
# hence the copy out of it in the same step.
RUN --mount=type=cache,id=sammen-cargo-registry,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,id=sammen-cargo-git,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,id=sammen-target,target=/build/target,sharing=locked \
    cargo build --release --locked --bin sammen \
 && install -m 0755 target/release/sammen /usr/local/bin/sammen

# ---- runtime ----------------------------------------------------------------------------------
FROM debian:bookworm-slim AS runtime

# libpq5: PostgreSQL client library; ca-certificates: TLS to the database;
# curl: the health check; sqlite3: online backups when running on SQLite.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libpq5 curl sqlite3 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 sammen \
 && useradd --system --uid 10001 --gid sammen --home-dir /var/lib/sammen --no-create-home \
        --shell /usr/sbin/nologin sammen \
 && install -d -o sammen -g sammen -m 0750 /var/lib/sammen

COPY --from=build /usr/local/bin/sammen /usr/local/bin/sammen

LABEL org.opencontainers.image.title="sammen" \
      org.opencontainers.image.description="Sammen: JSON REST API for Danish municipalities" \
      org.opencontainers.image.licenses="EUPL-1.2" \
      org.opencontainers.image.source="https://github.com/sammen-dk/sammen"

# Listen on all interfaces inside the container. Without a PostgreSQL DATABASE_URL the image runs
# on SQLite in /var/lib/sammen (mount a volume there to keep the data).
ENV SAMMEN_BIND=0.0.0.0:8080 \
    DATABASE_URL=sqlite:///var/lib/sammen/sammen.db \
    RUST_LOG=info

WORKDIR /var/lib/sammen
USER 10001:10001
EXPOSE 8080

# Liveness only (no database): the orchestrator or load balancer should use /api/v1/health/ready
# to decide whether to send traffic. The start period covers waiting for PostgreSQL (up to 60 s)
# and migrations.
HEALTHCHECK --interval=15s --timeout=3s --start-period=90s --retries=3 \
    CMD curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:8080/api/v1/health/live || exit 1

# SIGTERM (docker stop) stops accepting connections and gives in-flight requests 30 s:
# give the container at least 35 s to stop (docker stop -t 35, compose stop_grace_period).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/sammen"]
CMD ["serve"]
