namespace LoadGenerator.Reports;

/// <summary>How a single run's result is written (<c>-O</c>, as ghz's): the console summary, the run's JSON, its seconds as CSV, or a page.</summary>
public enum OutputFormat { Summary, Json, Csv, Html }
