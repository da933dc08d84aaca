/*
 * The agent's native helper: the Linux calls it needs, kill(2) for the command line's attach
 * request, and the JVMTI ThreadStart event, as the JNI methods of
 * io.affinityagent.bootstrap.NativeCalls. The agent defines that class inside java.base as
 * jdk.internal.misc.AffinityAgentNativeCalls; unit tests use it under its own name. Every
 * function is therefore exported under both names. One more, setpriority(2), for the launcher's
 * io.affinityagent.launcher.StartPriority, which loads its own copy at JVM start (JDK 17-23).
 *
 * Loading this (a few KB) takes about a millisecond, where JNA's first load takes 100+ ms;
 * a call costs what the system call costs. Errors come back as errno values.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jni.h>
#include <jvmti.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
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

/*
 * A new worker's pin: sched_setaffinity of the calling thread, then its id, in one JNI call (a
 * fresh thread's calls into native code are not free). The id, or minus errno. A mask of CPUs
 * 0-63 comes as one word, with no Java array to read: the kernel takes a mask shorter than its
 * own and clears the rest (the system call itself, not glibc's wrapper, which may check more).
 */
static jint pin_self_word(jlong mask) {
    unsigned long word = (unsigned long) mask;
    if (syscall(SYS_sched_setaffinity, 0, sizeof word, &word) != 0) {
        return -errno;
    }
    return (jint) syscall(SYS_gettid);
}

static jint pin_self(JNIEnv *env, jlongArray mask) {
    jint e = set_affinity(env, 0, mask);
    return e != 0 ? -e : (jint) syscall(SYS_gettid);
}

/*
 * ThreadStart: the JVM posts it on each new platform thread before the thread runs any Java code
 * of its own (so before run(), whatever its class overrides), and on threads attached through JNI;
 * not for virtual threads, nor for the JVM's hidden threads (compiler, service). The callback
 * calls the bridge's static threadStarted(Thread). Set from Java under one lock (HookInstaller).
 */
static jvmtiEnv *jvmti;
static jclass bridge_class;        /* a global ref */
static jmethodID bridge_started;
static volatile int watching;

static void JNICALL thread_started(jvmtiEnv *env_ti, JNIEnv *env, jthread thread) {
    if (!watching || thread == NULL) {
        return;
    }
    (*env)->CallStaticVoidMethod(env, bridge_class, bridge_started, thread);
    if ((*env)->ExceptionCheck(env)) { /* the bridge swallows the agent's; an Error (say OOM) must not escape here */
        (*env)->ExceptionClear(env);
    }
}

/* 0; a JNI error (negative) from GetEnv; a JVMTI error (positive); or -1 with an exception pending. */
static jint watch_thread_starts(JNIEnv *env, jclass bridge) {
    if (jvmti == NULL) {
        JavaVM *vm;
        jint r = (*env)->GetJavaVM(env, &vm);
        if (r != JNI_OK) {
            return r;
        }
        r = (*vm)->GetEnv(vm, (void **) &jvmti, JVMTI_VERSION_1_2);
        if (r != JNI_OK) {
            jvmti = NULL;
            return r;
        }
    }
    if (bridge_class == NULL) {
        jmethodID m = (*env)->GetStaticMethodID(env, bridge, "threadStarted", "(Ljava/lang/Thread;)V");
        if (m == NULL) {
            return -1; /* NoSuchMethodError pending */
        }
        jvmtiEventCallbacks callbacks;
        memset(&callbacks, 0, sizeof callbacks);
        callbacks.ThreadStart = &thread_started; /* a no-op until watching */
        jvmtiError e = (*jvmti)->SetEventCallbacks(jvmti, &callbacks, (jint) sizeof callbacks);
        if (e != JVMTI_ERROR_NONE) {
            return (jint) e;
        }
        jclass c = (jclass) (*env)->NewGlobalRef(env, bridge);
        if (c == NULL) {
            return -1;
        }
        bridge_started = m;
        bridge_class = c;
    } else if (!(*env)->IsSameObject(env, bridge_class, bridge)) {
        return (jint) JVMTI_ERROR_ILLEGAL_ARGUMENT; /* one bridge per loaded helper */
    }
    watching = 1;
    jvmtiError e = (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_THREAD_START, NULL);
    if (e != JVMTI_ERROR_NONE) {
        watching = 0;
        return (jint) e;
    }
    return 0;
}

static jint unwatch_thread_starts(void) {
    watching = 0;
    if (jvmti == NULL) {
        return 0;
    }
    return (jint) (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_DISABLE, JVMTI_EVENT_THREAD_START, NULL);
}

#define EXPORT_UNDER(CLASS)                                                                        \
    JNIEXPORT jint JNICALL Java_##CLASS##_setAffinity(JNIEnv *env, jclass c, jint tid, jlongArray m) { \
        return set_affinity(env, tid, m);                                                          \
    }                                                                                              \
    JNIEXPORT jint JNICALL Java_##CLASS##_getAffinity(JNIEnv *env, jclass c, jint tid, jlongArray m) { \
        return get_affinity(env, tid, m);                                                          \
    }                                                                                              \
    JNIEXPORT jint JNICALL Java_##CLASS##_pinSelfWord(JNIEnv *env, jclass c, jlong m) {              \
        return pin_self_word(m);                                                                   \
    }                                                                                              \
    JNIEXPORT jint JNICALL Java_##CLASS##_pinSelf(JNIEnv *env, jclass c, jlongArray m) {           \
        return pin_self(env, m);                                                                   \
    }                                                                                              \
    JNIEXPORT jint JNICALL Java_##CLASS##_gettid(JNIEnv *env, jclass c) {                          \
        return (jint) syscall(SYS_gettid);                                                         \
    }                                                                                              \
    JNIEXPORT jint JNICALL Java_##CLASS##_getcpu(JNIEnv *env, jclass c) {                          \
        return (jint) sched_getcpu();                                                              \
    }                                                                                              \
    JNIEXPORT jint JNICALL Java_##CLASS##_watchThreadStarts(JNIEnv *env, jclass c, jclass bridge) {  \
        return watch_thread_starts(env, bridge);                                                   \
    }                                                                                              \
    JNIEXPORT jint JNICALL Java_##CLASS##_unwatchThreadStarts(JNIEnv *env, jclass c) {             \
        return unwatch_thread_starts();                                                            \
    }                                                                                              \
    JNIEXPORT jint JNICALL Java_##CLASS##_kill(JNIEnv *env, jclass c, jint pid, jint signal) {      \
        return kill((pid_t) pid, signal) == 0 ? 0 : errno;                                         \
    }

/*
 * The calling thread's nice value raised to at least nice (its priority lowered), never lowered:
 * a JVM started at a higher nice value keeps it. PRIO_PROCESS with 0 names the calling thread on
 * Linux. 0 or errno.
 */
JNIEXPORT jint JNICALL Java_io_affinityagent_launcher_StartPriority_lowerTo(JNIEnv *env, jclass c, jint nice) {
    errno = 0;
    int now = getpriority(PRIO_PROCESS, 0);
    if (now == -1 && errno != 0) {
        return errno;
    }
    if (now >= nice) {
        return 0;
    }
    return setpriority(PRIO_PROCESS, 0, nice) == 0 ? 0 : errno;
}

EXPORT_UNDER(jdk_internal_misc_AffinityAgentNativeCalls)
EXPORT_UNDER(io_affinityagent_bootstrap_NativeCalls)
