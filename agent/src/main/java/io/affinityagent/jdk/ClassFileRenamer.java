package io.affinityagent.jdk;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Renames a class by rewriting its constant pool: every Utf8 constant that is the old internal
 * name becomes the new one, and every descriptor mentioning {@code L<old>;} is fixed likewise.
 * Since all of a class's references to itself go through that pool, this renames it entirely.
 * Done without a bytecode library so that the agent loads none at JVM start.
 */
final class ClassFileRenamer {

    private static final int UTF8 = 1;
    private static final int INTEGER = 3;
    private static final int FLOAT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int FIELD_REF = 9;
    private static final int METHOD_REF = 10;
    private static final int INTERFACE_METHOD_REF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE = 15;
    private static final int METHOD_TYPE = 16;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;
    private static final int MODULE = 19;
    private static final int PACKAGE = 20;

    private ClassFileRenamer() {
    }

    /** The class file with internal name {@code from} renamed to {@code to} (both ASCII). */
    static byte[] rename(byte[] classfile, String from, String to) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classfile));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(classfile.length + 64);
        DataOutputStream out = new DataOutputStream(bytes);
        int magic = in.readInt();
        if (magic != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        out.writeInt(magic);
        out.writeShort(in.readUnsignedShort()); // minor
        out.writeShort(in.readUnsignedShort()); // major
        int count = in.readUnsignedShort();
        out.writeShort(count);
        String fromDescriptor = "L" + from + ";";
        String toDescriptor = "L" + to + ";";
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            out.writeByte(tag);
            switch (tag) {
                case UTF8:
                    String s = in.readUTF();
                    if (s.equals(from)) {
                        s = to;
                    } else if (s.contains(fromDescriptor)) {
                        s = s.replace(fromDescriptor, toDescriptor);
                    }
                    out.writeUTF(s);
                    break;
                case CLASS:
                case STRING:
                case METHOD_TYPE:
                case MODULE:
                case PACKAGE:
                    out.writeShort(in.readUnsignedShort());
                    break;
                case METHOD_HANDLE:
                    out.writeByte(in.readUnsignedByte());
                    out.writeShort(in.readUnsignedShort());
                    break;
                case INTEGER:
                case FLOAT:
                case FIELD_REF:
                case METHOD_REF:
                case INTERFACE_METHOD_REF:
                case NAME_AND_TYPE:
                case DYNAMIC:
                case INVOKE_DYNAMIC:
                    out.writeInt(in.readInt());
                    break;
                case LONG:
                case DOUBLE:
                    out.writeLong(in.readLong());
                    i++; // takes two slots
                    break;
                default:
                    throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        in.transferTo(out); // everything after the pool refers to it by index only
        out.flush();
        return bytes.toByteArray();
    }

    /** Whether the class file mentions {@code name} anywhere in its constant pool. */
    static boolean mentions(byte[] classfile, String name) {
        return new String(classfile, StandardCharsets.ISO_8859_1).contains(name);
    }
}
