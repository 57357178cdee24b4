package io.blnk.auth.spring;

import org.springframework.boot.test.context.SpringBootTest;

/** The HTTP behaviours on H2, without Spring Security. */
@SpringBootTest(
    classes = TestApps.Plain.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"blnk.auth.master-key=" + TestApps.MASTER_KEY, TestApps.WITHOUT_SECURITY})
final class StarterH2HttpTest extends AbstractStarterHttpTest {}
