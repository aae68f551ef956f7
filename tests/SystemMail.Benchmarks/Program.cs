using SystemMail.Benchmarks;

return await BenchmarkProgram.RunAsync(args).ConfigureAwait(false);
