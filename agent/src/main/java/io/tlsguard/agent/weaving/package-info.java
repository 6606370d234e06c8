/**
 * Getting the hooks into the JVM: the bootstrap runtime defined in the bootstrap loader
 * ({@link io.tlsguard.agent.weaving.BootstrapInjector}, with the module edges of
 * {@link io.tlsguard.agent.weaving.ModuleAccess}), the one transformer
 * ({@link io.tlsguard.agent.weaving.Installer}, {@code HookTransformer}) that answers most classes from
 * their name ({@code HookTargets}) or header ({@code ProviderClassFilter}, {@code ClassHeader},
 * {@code ConstantPool}), takes hooked classes from the on-disk {@code TransformCache} (sealed entries:
 * {@code CacheEntry}, {@code HmacSha256}, {@code WovenClassCheck}) and otherwise weaves the advice with
 * Byte Buddy ({@code AdviceWeaver}). At startup {@code WeaveAhead} makes {@code SSLContext} ready on its own
 * thread before the host loads it; {@link io.tlsguard.agent.weaving.CacheWarmer} fills the cache from
 * {@code java -jar tlsguard.jar warm-cache}.
 *
 * <p>May use: {@code files}, the hook table of {@code hooks} ({@code HookTable}, data only), shaded
 * Byte Buddy, and the advice classes and bootstrap runtime by name
 * only (their class files, never their classes). Knows nothing of policy, JSSE's state or the report.
 */
package io.tlsguard.agent.weaving;
