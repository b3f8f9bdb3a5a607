package dev.berth.it.manager.support;

import dev.berth.testsupport.Descriptor;
import dev.berth.testsupport.Layer;
import dev.berth.testsupport.LocalRegistry;
import dev.berth.testsupport.OciLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An image built by {@link TestImages}: its repository name and tag and every digest a test may look for. */
public record TestImage(String name, String tag, Descriptor manifest, Descriptor config, List<Layer> layers) {

    public TestImage {
        layers = List.copyOf(layers);
    }

    TestImage(String name, OciLayout.Image image) {
        this(name, "latest", image.manifest(), image.config(), image.layers());
    }

    /** The image as its layout holds it, for pushing. */
    OciLayout.Image image() {
        return new OciLayout.Image(manifest, config, layers);
    }

    /** {@code 127.0.0.1:PORT/name:tag}, the reference {@code ctr images pull --plain-http} takes. */
    public String reference(LocalRegistry registry) {
        return registry.host() + "/" + name + ":" + tag;
    }

    /** The digests of manifest, config and layers: what the content store holds after a pull. */
    public List<String> blobDigests() {
        List<String> all = new ArrayList<>(List.of(manifest.digest(), config.digest()));
        layers.forEach(l -> all.add(l.blob().digest()));
        return all;
    }

    /**
     * The chain ID of each layer, bottom first (image-spec {@code config.md}, "Layer ChainID"): the committed
     * snapshots' names after an unpack, each the parent of the next.
     */
    public List<String> chainIds() {
        List<String> chain = new ArrayList<>();
        for (Layer layer : layers) {
            chain.add(chain.isEmpty() ? layer.diffId()
                    : "sha256:" + OciLayout.sha256Hex((chain.getLast() + " " + layer.diffId()).getBytes(StandardCharsets.US_ASCII)));
        }
        return chain;
    }
}
