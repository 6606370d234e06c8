/**
 * {@code tlsguard-attach inventory}: reads many report files (many JVMs, hosts, restarts) and answers per service
 * whether it is ready for a TLS floor, and if not, what is left: legacy peers and clients, legacy pins with their
 * call sites, handshakes failing for a legacy pin. Streaming: memory grows with the number of distinct services,
 * peers and call sites (each bounded), never with the number of lines. Reading ({@link ReportFiles},
 * {@link ReportReader}, {@link LineParser}), counting ({@link Fleet}, {@link ServiceInventory}, the readiness
 * rule), and writing ({@code *Format}: text, csv, json, html) are separate; nothing here runs inside a target JVM.
 */
package io.tlsguard.inventory;
