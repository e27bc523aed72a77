package io.fedsecure.cli.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.fedsecure.cli.CliException;

/** Protobuf canonical JSON, the Control API's body format. */
public final class ProtoJson {

  // Newer servers may add fields; an older CLI should still read what it knows.
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer COMPACT =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Printer PRETTY = JsonFormat.printer();

  private ProtoJson() {}

  public static String compact(MessageOrBuilder message) {
    return print(COMPACT, message);
  }

  public static String pretty(MessageOrBuilder message) {
    return print(PRETTY, message);
  }

  public static <B extends Message.Builder> B parse(String json, B builder, String what) {
    try {
      PARSER.merge(json, builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new CliException("SuperLink sent an unreadable " + what + ": " + e.getMessage());
    }
  }

  private static String print(JsonFormat.Printer printer, MessageOrBuilder message) {
    try {
      return printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }
}
