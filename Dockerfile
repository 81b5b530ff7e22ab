# syntax=docker/dockerfile:1
# Build: docker build -t handsbot .
# Run:   docker run -it --stop-timeout 60 -v $PWD/hands:/app/hands -v $PWD/config:/app/config -v handsbot-data:/app/data handsbot
# (README "Docker": service and Compose examples.)

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the restore layer is cached until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props HandsBot.sln ./
COPY src/HandsBot/HandsBot.csproj src/HandsBot/
COPY src/HandsBot.Core/HandsBot.Core.csproj src/HandsBot.Core/
COPY src/HandsBot.Storage.Sqlite/HandsBot.Storage.Sqlite.csproj src/HandsBot.Storage.Sqlite/
COPY src/HandsBot.Rendering/HandsBot.Rendering.csproj src/HandsBot.Rendering/
COPY src/HandsBot.Telegram/HandsBot.Telegram.csproj src/HandsBot.Telegram/
COPY src/HandsBot.Discord/HandsBot.Discord.csproj src/HandsBot.Discord/
COPY src/HandsBot.Agents/HandsBot.Agents.csproj src/HandsBot.Agents/
COPY src/HandsBot.Webhooks/HandsBot.Webhooks.csproj src/HandsBot.Webhooks/
RUN dotnet restore src/HandsBot/HandsBot.csproj
COPY src/ src/
RUN dotnet publish src/HandsBot/HandsBot.csproj -c Release --no-restore -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# Hands are shell scripts: keep a shell, coreutils and curl (the oracle example uses it).
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/ ./bin/
COPY hands/ ./hands/
COPY config/ ./config/
# Hands run as this user and may keep files in $HOME (caches, tool configs): give it a writable home.
RUN useradd --system --uid 10001 --home-dir /home/handsbot --create-home --shell /usr/sbin/nologin handsbot \
 && mkdir -p /app/data && chown -R handsbot /app/data
ENV HOME=/home/handsbot
USER handsbot
VOLUME ["/app/hands", "/app/config", "/app/data"]
# No EXPOSE: nothing listens unless [http] listen is set (webhooks, Discord interactions); then publish
# that port with -p, e.g. -p 8080:8080 for listen = "http://0.0.0.0:8080".
# Healthy while the bot's process is alive and not stopped or a zombie. Once /health/live exists, replace
# the CMD with: curl -fsS http://127.0.0.1:8080/health/live || exit 1
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD for p in /proc/[0-9]*; do if grep -qa 'bin/handsbo[t]' "$p/cmdline" 2>/dev/null; then grep -Eq '^State:[[:space:]]+[RSDI]' "$p/status" && exit 0; fi; done; exit 1
# SIGTERM (docker stop) lets running hands finish within [scheduler] shutdown_grace: give docker stop
# longer than that (--stop-timeout 60, Compose stop_grace_period: 60s).
ENTRYPOINT ["dotnet", "/app/bin/handsbot.dll"]
CMD ["serve", "--config", "/app/config/handsbot.toml"]
