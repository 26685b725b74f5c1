package io.tollgate.testing;

import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * An OpenAI-compatible upstream over TLS that speaks HTTP/2 (ALPN) and HTTP/1.1, on Jetty: it answers every POST
 * with one chat completion (or a short stream when the body asks for one) and records the protocol each request
 * came in. With {@code requireClientCert} it accepts only clients whose certificate it trusts.
 */
public final class TlsUpstream implements AutoCloseable {
  public static final String CONTENT = "Hello over TLS";

  private final Server server;
  private final ServerConnector connector;
  private final Queue<String> protocols = new ConcurrentLinkedQueue<>();

  private TlsUpstream(TestCertificates certs, boolean requireClientCert) {
    server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.addCustomizer(new SecureRequestCustomizer(false));
    HttpConnectionFactory h1 = new HttpConnectionFactory(http);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(h1.getProtocol());
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(certs.serverKeyStore().toString());
    ssl.setKeyStorePassword(certs.password());
    ssl.setKeyStoreType("PKCS12");
    ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
    if (requireClientCert) {
      ssl.setNeedClientAuth(true);
      ssl.setTrustStorePath(certs.clientTrustStore().toString());
      ssl.setTrustStorePassword(certs.password());
      ssl.setTrustStoreType("PKCS12");
    }
    connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, h1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        protocols.add(request.getConnectionMetaData().getProtocol());
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        boolean stream = body.replace(" ", "").contains("\"stream\":true");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, stream ? "text/event-stream" : "application/json");
        Content.Sink.write(response, true, stream ? events() : answer(), callback);
        return true;
      }
    });
  }

  public static TlsUpstream start(TestCertificates certs, boolean requireClientCert) {
    TlsUpstream upstream = new TlsUpstream(certs, requireClientCert);
    try {
      upstream.server.start();
    } catch (Exception e) {
      throw new IllegalStateException("the TLS upstream did not start", e);
    }
    return upstream;
  }

  public String baseUrl() {
    return "https://127.0.0.1:" + connector.getLocalPort() + "/v1";
  }

  /** The protocols of the requests so far ("HTTP/2.0", "HTTP/1.1"), oldest first, and forgets them. */
  public java.util.List<String> takeProtocols() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String p; (p = protocols.poll()) != null; ) {
      out.add(p);
    }
    return out;
  }

  static String answer() {
    return "{\"id\":\"chatcmpl-tls\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"tls-model\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + CONTENT + "\","
        + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":3,\"total_tokens\":6}}";
  }

  static String events() {
    String chunk = "{\"id\":\"chatcmpl-tls\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"tls-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + CONTENT
        + "\"},\"finish_reason\":null}]}";
    String end = "{\"id\":\"chatcmpl-tls\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"tls-model\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
    return "data: " + chunk + "\n\ndata: " + end + "\n\ndata: [DONE]\n\n";
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // the test is over
    }
  }
}
