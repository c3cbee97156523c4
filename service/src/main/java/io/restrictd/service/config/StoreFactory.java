package io.restrictd.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.restrictd.service.store.StoreDirectory;
import jakarta.validation.constraints.NotEmpty;
import java.nio.file.Path;

/** {@code store:} — where the node keeps its local copy of the restrictions. */
public class StoreFactory {
    /** Directory of the node's store (locked: one node per directory). */
    @NotEmpty
    private String path = "/var/lib/restrictd/store";

    @JsonProperty
    public String getPath() {
        return path;
    }

    @JsonProperty
    public void setPath(String path) {
        this.path = path;
    }

    /** Opens and locks the store directory; fails naming {@code store.path} if it cannot. */
    public StoreDirectory open() {
        return StoreDirectory.open(Path.of(path));
    }
}
