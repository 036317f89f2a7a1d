# The dropstream image: the command built from this checkout, run on a JRE as an unprivileged user.
# docker-compose.yml builds it for its streams and shipper services.

# --- build: the same Maven wrapper as a developer uses; CI runs the tests, so they are skipped here.
FROM eclipse-temurin:17-jdk AS build
# The dashboard module builds its page with npm (Node.js 18 or later).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -pl cli -am package

# --- run
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 dropstream \
 && useradd --system --uid 10001 --gid dropstream --home-dir /var/lib/dropstream --no-create-home dropstream \
 && mkdir -p /var/lib/dropstream \
 && chown dropstream:dropstream /var/lib/dropstream
COPY --from=build /src/cli/target/dropstream.jar /opt/dropstream/dropstream.jar
COPY --from=build /src/cli/target/lib/ /opt/dropstream/lib/
COPY --from=build /src/cli/src/main/resources/dev/dropstream/cli/ship.jvm-options /opt/dropstream/ship.jvm-options
# The same contract as the ./dropstream launcher: DROPSTREAM_JAVA_OPTS replaces the JVM bounds; `ship` has its own.
RUN printf '%s\n' '#!/bin/sh' \
      'if [ "$1" = ship ]; then d=@/opt/dropstream/ship.jvm-options; else d="-XX:MaxRAMPercentage=75 -XX:MaxDirectMemorySize=256m"; fi' \
      'exec java ${DROPSTREAM_JAVA_OPTS-$d} -jar /opt/dropstream/dropstream.jar "$@"' \
      > /usr/local/bin/dropstream \
 && chmod 0755 /usr/local/bin/dropstream
# Default data directory ($XDG_DATA_HOME/dropstream): Streams state, shipper checkpoints, broker data.
ENV XDG_DATA_HOME=/var/lib
VOLUME ["/var/lib/dropstream"]
USER dropstream
WORKDIR /var/lib/dropstream
ENTRYPOINT ["dropstream"]
CMD ["--help"]
