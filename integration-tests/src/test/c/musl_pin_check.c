/*
 * NativeHelpersMuslIT: built against musl, loads the agent's helper (dlopen, every symbol bound
 * at once) and calls its JNI functions through a stand-in JNIEnv that has the only three
 * functions the helper uses, over plain C arrays. It pins itself to the lowest CPU of its mask,
 * reads the mask back, and prints "tid=N set=ERRNO get=ERRNO mask=HEX"; exits 0 when the pin held.
 *
 *   musl_pin_check PATH/libaffinityagent.so
 */
#include <dlfcn.h>
#include <jni.h>
#include <stdio.h>
#include <string.h>

#define WORDS 16

static jsize JNICALL array_length(JNIEnv *env, jarray array) {
    return WORDS;
}

static void JNICALL get_region(JNIEnv *env, jlongArray array, jsize start, jsize n, jlong *buf) {
    memcpy(buf, (jlong *) array + start, (size_t) n * sizeof(jlong));
}

static void JNICALL set_region(JNIEnv *env, jlongArray array, jsize start, jsize n, const jlong *buf) {
    memcpy((jlong *) array + start, buf, (size_t) n * sizeof(jlong));
}

typedef jint (*mask_call)(JNIEnv *, jclass, jint, jlongArray);
typedef jint (*int_call)(JNIEnv *, jclass);

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s LIBRARY\n", argv[0]);
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW);
    if (lib == NULL) {
        printf("dlopen failed: %s\n", dlerror());
        return 1;
    }
    mask_call set = (mask_call) dlsym(lib, "Java_io_affinityagent_bootstrap_NativeCalls_setAffinity");
    mask_call get = (mask_call) dlsym(lib, "Java_io_affinityagent_bootstrap_NativeCalls_getAffinity");
    int_call gettid = (int_call) dlsym(lib, "Java_io_affinityagent_bootstrap_NativeCalls_gettid");
    if (set == NULL || get == NULL || gettid == NULL) {
        printf("dlsym failed: %s\n", dlerror());
        return 1;
    }
    struct JNINativeInterface_ functions;
    memset(&functions, 0, sizeof functions);
    functions.GetArrayLength = array_length;
    functions.GetLongArrayRegion = get_region;
    functions.SetLongArrayRegion = set_region;
    const struct JNINativeInterface_ *table = &functions;
    JNIEnv *env = (JNIEnv *) &table;

    jlong mask[WORDS] = {0};
    if (get(env, NULL, 0, (jlongArray) mask) != 0) {
        printf("getAffinity failed\n");
        return 1;
    }
    jlong one[WORDS] = {0};
    for (int w = 0; w < WORDS; w++) {
        if (mask[w] != 0) {
            one[w] = mask[w] & -mask[w];
            break;
        }
    }
    jlong back[WORDS] = {0};
    jint set_errno = set(env, NULL, 0, (jlongArray) one);
    jint get_errno = get(env, NULL, 0, (jlongArray) back);
    printf("tid=%d set=%d get=%d mask=%llx\n", (int) gettid(env, NULL), (int) set_errno, (int) get_errno,
           (unsigned long long) back[0]);
    return set_errno == 0 && get_errno == 0 && memcmp(one, back, sizeof one) == 0 ? 0 : 1;
}
