/**
 * Files tlsguard writes or trusts, all through one rule: {@link io.tlsguard.files.TrustedPaths}. The agent's
 * report, transform cache and attach reply; the attach CLI's directory for the agent jar and its replies. Depends on
 * nothing but the JDK (Java 8: it runs inside targets).
 */
package io.tlsguard.files;
