package org.stationtrust.agent.internal.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Optional;

/** Operating-system group names, as used by {@code api.token_group}. */
public final class GroupNames {
    private GroupNames() {
    }

    /** What is wrong with a group name, or empty when the group exists on this system. */
    static Optional<String> problem(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_.-]{0,31}")) {
            return Optional.of("expected a group name such as regapp (letters, digits, _ . -, at most 32), saw '"
                    + (name.length() > 40 ? name.substring(0, 40) + "..." : name) + "'");
        }
        try {
            lookup(name);
            return Optional.empty();
        } catch (UserPrincipalNotFoundException e) {
            return Optional.of("no group '" + name + "' on this system; create it (groupadd " + name + ") and add the "
                    + "registration application's user to it, or remove the key");
        } catch (IOException e) {
            return Optional.of("cannot look up group '" + name + "': " + e.getMessage());
        }
    }

    /**
     * Gives {@code file} to {@code group}. A process may do that only for a group it belongs to (or as root): the
     * agent's service user must be a member (systemd: {@code SupplementaryGroups=}).
     */
    public static void assign(java.nio.file.Path file, String group) throws IOException {
        try {
            java.nio.file.Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).setGroup(lookup(group));
        } catch (java.nio.file.FileSystemException e) {
            throw new IOException("cannot give " + file + " to group '" + group + "' (api.token_group): " + e.getReason()
                    + "; the agent's user must be a member of that group (systemd: SupplementaryGroups=" + group + ")", e);
        }
    }

    public static GroupPrincipal lookup(String name) throws IOException {
        return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
    }
}
