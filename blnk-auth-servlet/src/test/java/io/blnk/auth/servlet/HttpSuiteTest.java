package io.blnk.auth.servlet;

import org.junit.jupiter.api.Nested;

/**
 * The servlet HTTP suite, run on each container (Jetty 12, Tomcat 11, Undertow 2.3), each with the
 * filter and servlets async-supported. Each case class starts its container once.
 */
final class HttpSuiteTest {

  @Nested
  final class Jetty {
    @Nested
    final class Filter extends FilterHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.JETTY;
      }
    }

    @Nested
    final class Tagging extends TaggingHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.JETTY;
      }
    }

    @Nested
    final class ApiKeys extends ApiKeysEndpointHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.JETTY;
      }
    }

    @Nested
    final class Gate extends GateHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.JETTY;
      }
    }

    @Nested
    final class Usage extends UsageHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.JETTY;
      }
    }

    @Nested
    final class TrustedProxy extends TrustedProxyHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.JETTY;
      }
    }

    @Nested
    final class Lifecycle extends LifecycleHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.JETTY;
      }
    }

    @Nested
    final class LeakReport extends LeakReportHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.JETTY;
      }
    }
  }

  @Nested
  final class Tomcat {
    @Nested
    final class Filter extends FilterHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.TOMCAT;
      }
    }

    @Nested
    final class Tagging extends TaggingHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.TOMCAT;
      }
    }

    @Nested
    final class ApiKeys extends ApiKeysEndpointHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.TOMCAT;
      }
    }

    @Nested
    final class Gate extends GateHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.TOMCAT;
      }
    }

    @Nested
    final class Usage extends UsageHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.TOMCAT;
      }
    }

    @Nested
    final class TrustedProxy extends TrustedProxyHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.TOMCAT;
      }
    }

    @Nested
    final class Lifecycle extends LifecycleHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.TOMCAT;
      }
    }

    @Nested
    final class LeakReport extends LeakReportHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.TOMCAT;
      }
    }
  }

  @Nested
  final class Undertow {
    @Nested
    final class Filter extends FilterHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.UNDERTOW;
      }
    }

    @Nested
    final class Tagging extends TaggingHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.UNDERTOW;
      }
    }

    @Nested
    final class ApiKeys extends ApiKeysEndpointHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.UNDERTOW;
      }
    }

    @Nested
    final class Gate extends GateHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.UNDERTOW;
      }
    }

    @Nested
    final class Usage extends UsageHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.UNDERTOW;
      }
    }

    @Nested
    final class TrustedProxy extends TrustedProxyHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.UNDERTOW;
      }
    }

    @Nested
    final class Lifecycle extends LifecycleHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.UNDERTOW;
      }
    }

    @Nested
    final class LeakReport extends LeakReportHttpCases {
      @Override
      TestServer.Container container() {
        return TestServer.Container.UNDERTOW;
      }
    }
  }
}
