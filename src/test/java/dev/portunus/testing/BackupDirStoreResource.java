package dev.portunus.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link TempStoreResource} with {@code backup_dir} = {@code <data-dir>/backups} and {@code backup_keep = 3}
 * (inside the data-dir, so it goes with it; a real serve would warn). No test interval: the schedule's
 * first run is a day away, so the API is alone in the directory.
 */
public class BackupDirStoreResource extends TempStoreResource {

    public static final int KEEP = 3;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("portunus.settings.backup-dir", config.get("portunus.data-dir") + "/backups");
        config.put("portunus.settings.backup-keep", Integer.toString(KEEP));
        return config;
    }
}
