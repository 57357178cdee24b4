package io.blnk.auth.servlet;

import io.blnk.auth.LeakAction;

/** The leak-report endpoint configured to disable (reversibly) instead of revoking, on Jetty. */
final class LeakDisableHttpTest extends LeakReportHttpCases {

  @Override
  TestServer.Container container() {
    return TestServer.Container.JETTY;
  }

  @Override
  LeakAction action() {
    return LeakAction.DISABLE;
  }
}
