/**
 * Every hook, as data: {@link io.tlsguard.agent.hooks.HookTable} (where, which method shape, which
 * advice), read by the weaving, the name filter and the docs' check.
 *
 * <p>What happens when a hook fires: {@link io.tlsguard.agent.hooks.Guard}, the agent's
 * {@link io.tlsguard.bootstrap.HookHandler}, applies the policy to a pin, records it with its call site
 * and turns handshakes into events; {@link io.tlsguard.agent.hooks.PrivilegedHandler} runs it with
 * tlsguard's own permissions. The advice that calls it from inside JDK classes is in
 * {@code hooks.advice}.
 *
 * <p>May use: {@code policy}, {@code jsse}, {@code report}, {@code jfr} (Flight Recorder's events) and the
 * bootstrap runtime. Not
 * {@code weaving} (which reads the table and names the advice classes) nor the life cycle package.
 */
package io.tlsguard.agent.hooks;
