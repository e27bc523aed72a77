package io.fedsecure.cli.output;

import com.google.protobuf.MessageOrBuilder;
import io.fedsecure.cli.http.ProtoJson;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** {@code --format} of listings, as in Flower: a table to read, or the response as JSON. */
public final class FormatOption {

  @Option(
      names = "--format",
      defaultValue = "table",
      paramLabel = "FORMAT",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  private OutputFormat format;

  public <T extends MessageOrBuilder> void print(
      T response, Function<T, TextTable> table, PrintWriter out) {
    if (format == OutputFormat.json) {
      out.println(ProtoJson.pretty(response));
      out.flush();
    } else {
      table.apply(response).print(out);
    }
  }
}
