/*
 * The agent's native helper: the four Linux calls it needs, as the JNI methods of
 * io.affinityagent.bootstrap.NativeCalls. The agent defines that class inside java.base as
 * jdk.internal.misc.AffinityAgentNativeCalls; unit tests use it under its own name. Every
 * function is therefore exported under both names.
 *
 * Loading this (a few KB) takes about a millisecond, where JNA's first load takes 100+ ms;
 * a call costs what the system call costs. Errors come back as errno values.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jni.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if ULONG_MAX != 0xffffffffffffffffUL
#error "affinity-agent's native helper needs 64-bit longs (the mask words are Java longs)"
#endif

/* 8192 CPUs, the largest NR_CPUS Linux builds with; CpuSet.MAX_CPU matches. */
#define MAX_WORDS 128

static jint set_affinity(JNIEnv *env, jint tid, jlongArray mask) {
    unsigned long words[MAX_WORDS];
    jsize n = (*env)->GetArrayLength(env, mask);
    if (n <= 0 || n > MAX_WORDS) {
        return EINVAL;
    }
    (*env)->GetLongArrayRegion(env, mask, 0, n, (jlong *) words);
    if (sched_setaffinity((pid_t) tid, (size_t) n * sizeof(unsigned long), (cpu_set_t *) words) != 0) {
        return errno;
    }
    return 0;
}

static jint get_affinity(JNIEnv *env, jint tid, jlongArray mask) {
    unsigned long words[MAX_WORDS];
    jsize n = (*env)->GetArrayLength(env, mask);
    if (n <= 0 || n > MAX_WORDS) {
        return EINVAL;
    }
    memset(words, 0, sizeof words);
    if (sched_getaffinity((pid_t) tid, (size_t) n * sizeof(unsigned long), (cpu_set_t *) words) != 0) {
        return errno;
    }
    (*env)->SetLongArrayRegion(env, mask, 0, n, (const jlong *) words);
    return 0;
}

#define EXPORT_UNDER(CLASS)                                                                        \
    JNIEXPORT jint JNICALL Java_##CLASS##_setAffinity(JNIEnv *env, jclass c, jint tid, jlongArray m) { \
        return set_affinity(env, tid, m);                                                          \
    }                                                                                              \
    JNIEXPORT jint JNICALL Java_##CLASS##_getAffinity(JNIEnv *env, jclass c, jint tid, jlongArray m) { \
        return get_affinity(env, tid, m);                                                          \
    }                                                                                              \
    JNIEXPORT jint JNICALL Java_##CLASS##_gettid(JNIEnv *env, jclass c) {                          \
        return (jint) syscall(SYS_gettid);                                                         \
    }                                                                                              \
    JNIEXPORT jint JNICALL Java_##CLASS##_getcpu(JNIEnv *env, jclass c) {                          \
        return (jint) sched_getcpu();                                                              \
    }

EXPORT_UNDER(jdk_internal_misc_AffinityAgentNativeCalls)
EXPORT_UNDER(io_affinityagent_bootstrap_NativeCalls)
