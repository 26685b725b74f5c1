package io.tollgate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
  private static final String NESTED = """
      {"model":"alias","temperature":0,"user":"u-1","metadata":{"a":1},
       "messages":[{"role":"user","content":[{"type":"text","text":"héllo \\u0000 \\"q\\""}],"name":"n"}],
       "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"z":{},"a":{}}}}}],
       "max_tokens":9223372036854775807,"top_p":0.25,"seed":12345678901234567890,"logit_bias":{"50256":-100},
       "stop":null,"stream":true,"stream_options":{"include_usage":true},"n":1.5e3,"x":[[],{},[1,[2,{"b":true}]]]}
      """;

  @Test
  void theHashIsTheSortedBodysAsTheTreeWriterGaveIt() throws Exception {
    for (String body : List.of(NESTED, "{}", "{\"messages\":[]}", "{\"model\":\"m\"}", "{\"b\":1,\"a\":2}")) {
      ObjectNode tree = (ObjectNode) Json.tree(body.getBytes(StandardCharsets.UTF_8));
      assertThat(CacheKey.of("/v1/chat/completions", "gpt-x", tree, 7L))
          .as(body).isEqualTo(reference("/v1/chat/completions", "gpt-x", tree, 7L));
      assertThat(CacheKey.of("/v1/messages", "gpt-x", tree, null))
          .as(body).isEqualTo(reference("/v1/messages", "gpt-x", tree, null));
    }
  }

  @Test
  void keyOrderAndIgnoredFieldsDoNotChangeTheHashButTheOwnerModelAndValuesDo() throws Exception {
    String a = CacheKey.of("/e", "m", tree("{\"a\":1,\"b\":{\"y\":2,\"x\":[1,2]},\"user\":\"p\"}"), 1L);
    assertThat(CacheKey.of("/e", "m", tree("{\"b\":{\"x\":[1,2],\"y\":2},\"a\":1,\"metadata\":{}}"), 1L)).isEqualTo(a);
    assertThat(CacheKey.of("/e", "m", tree("{\"a\":1,\"b\":{\"y\":2,\"x\":[2,1]}}"), 1L)).isNotEqualTo(a);
    assertThat(CacheKey.of("/e", "m", tree("{\"a\":1,\"b\":{\"y\":2,\"x\":[1,2]}}"), 2L)).isNotEqualTo(a);
    assertThat(CacheKey.of("/e", "m", tree("{\"a\":1,\"b\":{\"y\":2,\"x\":[1,2]}}"), null)).isNotEqualTo(a);
    assertThat(CacheKey.of("/e", "n", tree("{\"a\":1,\"b\":{\"y\":2,\"x\":[1,2]}}"), 1L)).isNotEqualTo(a);
    assertThat(CacheKey.of("/f", "m", tree("{\"a\":1,\"b\":{\"y\":2,\"x\":[1,2]}}"), 1L)).isNotEqualTo(a);
    assertThat(CacheKey.of("/e", "m", tree("{\"a\":1.0,\"b\":{\"y\":2,\"x\":[1,2]}}"), 1L)).isNotEqualTo(a);
  }

  @Test
  void theRequestsTreeIsLeftAsItWas() throws Exception {
    ObjectNode tree = tree(NESTED);
    ObjectNode before = tree.deepCopy();
    CacheKey.of("/e", "resolved", tree, 1L);
    assertThat(tree).isEqualTo(before);
  }

  private static ObjectNode tree(String json) throws Exception {
    return (ObjectNode) Json.tree(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The first version: a copy of the tree without the ignored fields, written by Jackson's sorting writer. */
  private static String reference(String endpoint, String model, ObjectNode body, Long owner) throws Exception {
    ObjectNode copy = body.deepCopy();
    copy.remove(List.of("user", "metadata"));
    copy.put("model", model);
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update((endpoint + '\n' + (owner == null ? "*" : owner.toString()) + '\n').getBytes(StandardCharsets.UTF_8));
    digest.update(Json.MAPPER.copy().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true).writer()
        .writeValueAsBytes(copy));
    return HexFormat.of().formatHex(digest.digest());
  }
}
