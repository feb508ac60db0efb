package org.stationtrust.agent.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
    @TempDir Path dir;

    @Test
    void createsAMissingStateDirectoryReadableOnlyByItsOwner() throws Exception {
        StateDirectory state = StateDirectory.open(dir.resolve("a/b/state"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.root())));
        assertFalse(state.wasTightened());
    }

    @Test
    void tightensALooseStateDirectoryBackTo0700() throws Exception {
        Path loose = Files.createDirectory(dir.resolve("loose"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rwxr-xr-x"));
        StateDirectory state = StateDirectory.open(loose);
        assertTrue(state.wasTightened());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(loose)));
    }

    @Test
    void writesPrivateFilesWith0600() throws Exception {
        Path file = dir.resolve("secret");
        StateDirectory.writePrivate(file, new byte[] {1, 2});
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
