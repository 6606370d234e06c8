/**
 * The contract between the tlsguard agent and the attach CLI, the one place both read: the user options
 * and their single validation ({@link io.tlsguard.contract.UserOptions}, {@link io.tlsguard.contract.OptionKey},
 * {@link io.tlsguard.contract.Mode}, {@link io.tlsguard.contract.MinProtocol}), what the CLI asks
 * ({@link io.tlsguard.contract.Command}) in its envelope ({@link io.tlsguard.contract.AttachRequest}), and the keys
 * of the agent's one-line JSON reply ({@link io.tlsguard.contract.ReplyKey}).
 *
 * <p>Java 8 and the JDK only: it is shaded into tlsguard.jar and runs inside every target JVM (loaded both by the
 * agent's own class loader and, for failing closed, by the system loader that holds the trampoline). Stateless.
 */
package io.tlsguard.contract;
