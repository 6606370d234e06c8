/**
 * tlsguard's life cycle in one JVM: the entry points ({@link io.tlsguard.agent.TlsGuardAgent}, a
 * trampoline on the class path that makes {@link io.tlsguard.agent.AgentClassLoader}), the start in that
 * loader ({@link io.tlsguard.agent.AgentStart}), what a start that fails says and does (one wording, fail closed
 * for enforce and deny: {@link io.tlsguard.agent.StartFailure}) and the runtime that starts, reconfigures,
 * reports status and detaches ({@link io.tlsguard.agent.AgentRuntime}). The options, the attach commands and
 * the reply's keys are the agent–CLI contract's ({@code io.tlsguard.contract}, a module of its own).
 *
 * <p>May use every other package of the agent and the contract: it wires them together. Nothing else uses it, except
 * that the trampoline's side ({@code TlsGuardAgent}, {@code AgentClassLoader}) names {@code AgentStart} by string.
 */
package io.tlsguard.agent;
