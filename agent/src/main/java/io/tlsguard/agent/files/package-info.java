/**
 * Files tlsguard writes or trusts (report, transform cache, attach reply), all through one rule:
 * {@link io.tlsguard.agent.files.TrustedPaths}. Depends on nothing but the JDK.
 */
package io.tlsguard.agent.files;
