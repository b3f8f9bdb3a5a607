package dev.berth.manager.service.content;

import dev.berth.manager.content.ContentStore;
import java.util.Optional;

/** A namespace's view of the content store, under the call's lease if it has one (the metadata layer). */
@FunctionalInterface
public interface ContentStores {
    ContentStore open(String namespace, Optional<String> lease);
}
