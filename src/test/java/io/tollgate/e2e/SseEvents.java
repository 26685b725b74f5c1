package io.tollgate.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The data payloads of a server-sent event stream as a client reads them, with when each arrived. */
record SseEvents(List<String> data, List<Long> arrivalMillis, IOException failure) {
  static SseEvents read(InputStream body) {
    List<String> data = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    long start = System.nanoTime();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("data: ")) {
          data.add(line.substring(6));
          times.add((System.nanoTime() - start) / 1_000_000);
        }
      }
      return new SseEvents(data, times, null);
    } catch (IOException e) {
      return new SseEvents(data, times, e);
    }
  }

  String last() {
    return data.get(data.size() - 1);
  }
}
