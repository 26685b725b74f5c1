package io.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyCaptureTest {

  @Test
  void cutsOnACharacterBoundaryAndStopsCopyingPastTheLimit() {
    byte[] request = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes
    BodyCapture capture = new BodyCapture(5, request);
    capture.event(null, "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
    capture.event("done", "{}".getBytes(StandardCharsets.UTF_8));

    LoggedBodies bodies = capture.bodies();
    assertThat(bodies.request()).isEqualTo("aé"); // the € would not fit whole
    assertThat(bodies.response()).isEqualTo("data:");
  }

  @Test
  void keepsWholeAnswersAndStreamEventsAsSseText() {
    BodyCapture capture = new BodyCapture(1000, new byte[0]);
    capture.event("message_start", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(capture.bodies().response()).isEqualTo("event: message_start\ndata: {\"a\":1}\n\n");
    BodyCapture whole = new BodyCapture(1000, "{}".getBytes(StandardCharsets.UTF_8));
    whole.json(200, Map.of(), "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
    assertThat(whole.bodies()).isEqualTo(new LoggedBodies("{}", "{\"ok\":true}"));
  }
}
