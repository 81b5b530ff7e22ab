# syntax=docker/dockerfile:1
# Build: docker build -t handsbot .
# Run:   docker run -v $PWD/hands:/app/hands -v $PWD/config:/app/config -v handsbot-data:/app/data handsbot

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
RUN useradd --system --uid 10001 --home /app handsbot && mkdir -p /app/data && chown -R handsbot /app/data
USER handsbot
VOLUME ["/app/hands", "/app/config", "/app/data"]
# Webhooks and the Discord interactions endpoint, when [http] listen = "http://0.0.0.0:8080".
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/bin/handsbot.dll"]
CMD ["serve", "--config", "/app/config/handsbot.toml"]
