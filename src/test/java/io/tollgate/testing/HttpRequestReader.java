package io.tollgate.testing;

import io.tollgate.testing.FakeUpstream.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reads one HTTP/1.1 request: request line, headers, and a Content-Length or chunked body. */
final class HttpRequestReader {

  private HttpRequestReader() {
  }

  /** Returns null when the peer closes before sending a request line. */
  static RecordedRequest read(InputStream in) throws IOException {
    String requestLine = readLine(in);
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3) {
      throw new IOException("bad request line: " + requestLine);
    }
    Map<String, String> headers = readHeaders(in);
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      body = readChunked(in);
    } else {
      body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0").trim()));
    }
    return new RecordedRequest(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8));
  }

  private static Map<String, String> readHeaders(InputStream in) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = requireLine(in); !line.isEmpty(); line = requireLine(in)) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("bad header line: " + line);
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      headers.merge(name, line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
    }
    return headers;
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = requireLine(in);
      int semicolon = sizeLine.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!requireLine(in).isEmpty()) {
          // trailers are ignored
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length < size) {
        throw new EOFException("chunk ended early");
      }
      body.writeBytes(chunk);
      requireLine(in);
    }
  }

  private static String requireLine(InputStream in) throws IOException {
    String line = readLine(in);
    if (line == null) {
      throw new EOFException("connection closed inside a request");
    }
    return line;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b == -1) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }
}
