package io.tlsguard.agent.weaving;

import io.tlsguard.agent.hooks.HookTable;
import java.io.IOException;

/**
 * {@code java -jar tlsguard.jar warm-cache [cache=DIR]}: weaves every hooked JDK class of the JDK that runs
 * it into the {@link TransformCache}, so that no later start with that JDK, that agent build and that cache
 * (as the same user) pays for Byte Buddy. Meant for an image build or a host's provisioning, where the first
 * start would otherwise come in production (docs/performance.md).
 */
public final class CacheWarmer {
    private CacheWarmer() {}

    /**
     * @param cacheOption the {@code cache=} option: null for the default directory, or a directory
     * @return the line to print
     * @throws IOException when the cache is off or refused, or a class could not be woven and kept
     */
    public static String warm(String cacheOption) throws IOException {
        TransformCache cache = TransformCache.open(cacheOption);
        if (!cache.isOn()) {
            throw new IOException("the transform cache is off: " + cache.describe());
        }
        HookTransformer transformer = new HookTransformer(cache);
        int woven = 0;
        int present = 0;
        for (String className : HookTable.NAMED_CLASSES) {
            String internalName = className.replace('.', '/');
            byte[] original;
            try {
                original = ClassFiles.ofJdkClass(internalName);
            } catch (IOException absent) {
                continue; // not in this JDK (JDK 8 before 8u261 has no TransportContext): nothing to hook
            }
            if (cache.lookup(internalName, original) != null) {
                present++;
                continue;
            }
            byte[] transformed = transformer.weave(null, internalName, original);
            if (transformed == null) {
                continue; // no hooked method in this JDK's version of the class
            }
            cache.store(internalName, original, transformed);
            if (cache.lookup(internalName, original) == null) {
                throw new IOException("could not keep " + className + " in " + cache.describe());
            }
            woven++;
        }
        if (HookErrors.count() > 0) {
            throw new IOException("Byte Buddy could not weave (-Dtlsguard.debug=true says why)");
        }
        return "tlsguard: transform cache " + cache.describe() + ": " + woven + " classes woven, " + present
                + " already there (java " + System.getProperty("java.version") + ")";
    }
}
