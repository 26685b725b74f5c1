package io.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class ServerUrlTest {
  private final MBeanServer mbeans = MBeanServerFactory.newMBeanServer();

  @Test
  void portPropertyWins() throws JMException {
    connector("Catalina:type=Connector,port=8080", "HTTP/1.1", 8080, false);
    assertThat(ServerUrl.of("/gw", "9090", mbeans)).isEqualTo("http://localhost:9090/gw");
  }

  @Test
  void tomcatsPlainHttpConnectorIsPreferredToAjpAndTls() throws JMException {
    connector("Catalina:type=Connector,port=8009", "AJP/1.3", 8009, false);
    connector("Catalina:type=Connector,port=8443", "HTTP/1.1", 8443, true);
    connector("Catalina:type=Connector,port=8081", "org.apache.coyote.http11.Http11NioProtocol", 8081, false);
    assertThat(ServerUrl.of("", null, mbeans)).isEqualTo("http://localhost:8081");
  }

  @Test
  void onlyTlsGivesAnHttpsUrl() throws JMException {
    connector("Catalina:type=Connector,port=8443", "HTTP/1.1", 8443, true);
    assertThat(ServerUrl.of("/gw", null, mbeans)).isEqualTo("https://localhost:8443/gw");
  }

  @Test
  void unknownPortIsAPlaceholderNotAGuess() throws JMException {
    connector("Catalina:type=Connector,port=8080", "HTTP/1.1", -1, false); // not bound yet
    assertThat(ServerUrl.of("/gw", null, mbeans)).isEqualTo("http://<host>:<port>/gw");
    assertThat(ServerUrl.of("/gw", "not-a-port", mbeans)).isEqualTo("http://<host>:<port>/gw");
  }

  private void connector(String name, String protocol, int localPort, boolean secure) throws JMException {
    mbeans.registerMBean(new Attributes(Map.of("protocol", protocol, "localPort", localPort, "secure", secure)),
        new ObjectName(name));
  }

  /** Tomcat's connector MBeans name their attributes in lower case, which a standard MBean cannot. */
  private record Attributes(Map<String, Object> values) implements DynamicMBean {
    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
      if (!values.containsKey(attribute)) {
        throw new AttributeNotFoundException(attribute);
      }
      return values.get(attribute);
    }

    @Override
    public void setAttribute(Attribute attribute) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
      return new AttributeList();
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
      return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
      return null;
    }

    @Override
    public MBeanInfo getMBeanInfo() {
      return new MBeanInfo(Attributes.class.getName(), "a fake Tomcat connector", null, null, null, null);
    }
  }
}
