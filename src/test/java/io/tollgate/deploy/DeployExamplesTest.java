package io.tollgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.GatewayConfig;
import io.tollgate.container.OpenAiErrorHandler;
import io.tollgate.container.OpenAiErrorReportValve;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The examples under deploy/ parse, and keep the settings their READMEs promise: the containers' own error answers
 * in OpenAI's JSON shape (io.tollgate.container), no stack traces or server version in error pages, no Server header, access logs without the query string (where a key sent as ?api_key= would be).
 */
class DeployExamplesTest {
  private static final Path DEPLOY = Path.of("deploy");

  @Test
  void tomcatServerXmlHidesErrorsAndTheQueryString() throws Exception {
    Document server = parse(DEPLOY.resolve("tomcat/server.xml"));
    // The Host's own error valve: a <Valve> of another class would leave Tomcat adding its stock one too.
    assertThat(elements(server, "Host")).singleElement().extracting(h -> h.getAttribute("errorReportValveClass"))
        .isEqualTo(OpenAiErrorReportValve.class.getName());
    assertThat(elements(server, "Valve")).extracting(v -> v.getAttribute("className"))
        .noneMatch(c -> c.contains("ErrorReport"));
    String pattern = valve(server, "org.apache.catalina.valves.AccessLogValve").getAttribute("pattern");
    assertThat(pattern).contains("%m %U %H").doesNotContain("%r", "%q", "%u", "common", "combined");

    List<Element> connectors = elements(server, "Connector");
    assertThat(connectors).hasSize(1);
    Element http = connectors.get(0);
    assertThat(http.getAttribute("protocol")).isEqualTo("org.apache.coyote.http11.Http11NioProtocol");
    assertThat(http.hasAttribute("server")).as("server=\"\" would send an empty Server header").isFalse();
    assertThat(http.getAttribute("serverRemoveAppProvidedValues")).isEqualTo("true");
    assertThat(http.hasAttribute("relaxedQueryChars")).isFalse();
    assertThat(http.hasAttribute("relaxedPathChars")).isFalse();
    assertThat(http.getAttribute("processorCache")).isEqualTo(http.getAttribute("maxConnections"));
    assertThat(http.getAttribute("maxKeepAliveRequests")).isEqualTo("-1");
  }

  @Test
  void jettyBaseHidesTheVersionStacksAndTheQueryString() throws Exception {
    Properties ini = new Properties();
    try (var in = Files.newBufferedReader(DEPLOY.resolve("jetty/start.d/tollgate.ini"))) {
      ini.load(in);
    }
    assertThat(ini.getProperty("jetty.httpConfig.sendServerVersion")).isEqualTo("false");
    assertThat(ini.getProperty("jetty.requestlog.formatString")).contains("\"%m %U %H\"").doesNotContain("%r", "%q");
    assertThat(ini.getProperty("-Dtollgate.port")).isEqualTo("${jetty.http.port}");
    assertThat(Files.readAllLines(DEPLOY.resolve("jetty/start.d/tollgate.ini"))).contains("--module=tollgate-errors");
    assertThat(Files.readString(DEPLOY.resolve("jetty/modules/tollgate-errors.mod")))
        .contains("[lib]\nlib/tollgate-container.jar\n", "[xml]\netc/tollgate-errors.xml\n");
    Document errors = parse(DEPLOY.resolve("jetty/etc/tollgate-errors.xml"));
    assertThat(errors.getDocumentElement().getAttribute("class")).isEqualTo("org.eclipse.jetty.server.Server");
    assertThat(elements(errors, "New")).singleElement().extracting(e -> e.getAttribute("class"))
        .isEqualTo(OpenAiErrorHandler.class.getName());

    Document context = parse(DEPLOY.resolve("jetty/webapps/ROOT.xml"));
    assertThat(context.getDocumentElement().getAttribute("class"))
        .isEqualTo("org.eclipse.jetty.ee10.webapp.WebAppContext");
    Element handler = elements(context, "New").stream()
        .filter(e -> e.getAttribute("class").equals("org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler"))
        .findFirst().orElseThrow();
    assertThat(setters(handler)).contains("showStacks=false", "showServlet=false");
  }

  @Test
  void nginxSiteKeepsDefaultBufferingLogsNoQueryStringAndOutlastsTheGatewaysLimits() throws Exception {
    String conf = Files.readString(DEPLOY.resolve("nginx/tollgate.conf"));
    assertThat(conf).contains("server_tokens off;", "$request_method $uri ", "proxy_http_version 1.1;",
            "proxy_set_header Connection \"\";", "keepalive ")
        .doesNotContain("$request ", "$request_uri", "$args", "$query_string")
        // streams are unbuffered by the gateway's X-Accel-Buffering: no (NginxStreamingTest), which nginx must heed
        .doesNotContain("proxy_buffering", "proxy_ignore_headers");
    GatewayConfig defaults = GatewayConfig.from(Map.of());
    assertThat(Duration.ofSeconds(number(conf, "proxy_read_timeout (\\d+)s;")))
        .as("nginx waits longer than the gateway may be silent").isGreaterThan(defaults.resilience().totalTimeout());
    assertThat(number(conf, "client_max_body_size (\\d+)m;") * 1024 * 1024)
        .as("a body over MAX_BODY_BYTES or MAX_UPLOAD_BYTES reaches the gateway, which answers it in JSON")
        .isGreaterThan(Math.max(defaults.maxBodyBytes(), defaults.uploads().maxBytes()));
  }

  private static long number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** The steps TomcatDistributionWarTest and JettyDistributionWarTest take (failsafe), as the READMEs give them. */
  @Test
  void containerReadmesGiveTheStepsTheDistributionTestsTake() throws Exception {
    assertThat(Files.readString(DEPLOY.resolve("tomcat/README.md"))).contains(
        "mkdir -p $CATALINA_BASE/lib $CATALINA_BASE/logs $CATALINA_BASE/temp $CATALINA_BASE/webapps"
            + " $CATALINA_BASE/work",
        "cp -r $CATALINA_HOME/conf $CATALINA_BASE/",
        "cp deploy/tomcat/server.xml $CATALINA_BASE/conf/server.xml",
        "cp target/tollgate-container.jar $CATALINA_BASE/lib/",
        "cp target/tollgate.war $CATALINA_BASE/webapps/ROOT.war",
        "cp deploy/tomcat/context.xml $CATALINA_BASE/conf/Catalina/localhost/ROOT.xml",
        "-DoutputDirectory=$CATALINA_HOME/lib",
        "$CATALINA_HOME/bin/catalina.sh run");
    String[] jetty = {
        "mkdir -p /srv/tollgate-base/logs /srv/tollgate-base/lib",
        "cp -r deploy/jetty/start.d deploy/jetty/modules deploy/jetty/etc deploy/jetty/webapps /srv/tollgate-base/",
        "cp target/tollgate-container.jar /srv/tollgate-base/lib/",
        "cp target/tollgate.war /srv/tollgate-base/webapps/ROOT.war",
        "java -jar $JETTY_HOME/start.jar"};
    assertThat(Files.readString(DEPLOY.resolve("jetty/README.md"))).contains(jetty)
        .contains("java -jar $JETTY_HOME/start.jar jetty.http.port=");
    assertThat(Files.readString(DEPLOY.resolve("README.md"))).contains(jetty);
  }

  private static Document parse(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory.newDocumentBuilder().parse(file.toFile());
  }

  private static Element valve(Document doc, String className) {
    return elements(doc, "Valve").stream().filter(v -> v.getAttribute("className").equals(className)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + className));
  }

  private static List<Element> elements(Document doc, String tag) {
    NodeList nodes = doc.getElementsByTagName(tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add((Element) nodes.item(i));
    }
    return out;
  }

  private static List<String> setters(Element parent) {
    List<String> out = new ArrayList<>();
    NodeList nodes = parent.getElementsByTagName("Set");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element set = (Element) nodes.item(i);
      out.add(set.getAttribute("name") + "=" + set.getTextContent().strip());
    }
    return out;
  }
}
