using HandsBot.Cli;

return await HandsBotCli.RunAsync(args);
