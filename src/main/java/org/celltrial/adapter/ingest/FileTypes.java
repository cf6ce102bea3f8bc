package org.celltrial.adapter.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Names the type of a file from its attributes read without following links, without ever opening it. */
public final class FileTypes {

    private FileTypes() {
    }

    /** What a file that is not a regular file or folder is, without opening it: "a symbolic link", "a FIFO"... */
    public static String describe(Path p, BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (attrs.isDirectory()) {
            return "a folder";
        }
        if (attrs.isRegularFile()) {
            return "a regular file";
        }
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            switch (mode & 0170000) {
                case 0010000: return "a FIFO (named pipe)";
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0140000: return "a socket";
                default: break;
            }
        } catch (IOException | RuntimeException e) {
            // no unix view: say what we know
        }
        return "a special file (FIFO, device or socket)";
    }

    public static String describe(BasicFileAttributes attrs) {
        return attrs.isSymbolicLink() ? "a symbolic link" : attrs.isOther() ? "a special file (FIFO, device or socket)"
                : attrs.isDirectory() ? "a folder" : "a regular file";
    }

}
