package io.tlsguard.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test whose assertion is about time (a JVM gone within a second, a failure within ten): it runs alone, in the
 * failsafe execution "serial" after the others, which run two test JVMs at once (forkCount=2) and so keep both cores
 * busy; a busy machine must not decide such a test. Use sparingly: the serial lane is wall time nothing overlaps.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Serial.TAG)
public @interface Serial {
    /** The JUnit tag: the poms' failsafe executions select (serial) and exclude (default) it. */
    String TAG = "serial";
}
