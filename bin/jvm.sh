# Sourced by the launchers beside it (berth, berthd, berth-shim, berth-runtime): the JDK, the JNI library, the
# AOT cache and the JVM flags every Berth program shares; each launcher adds its own heap and compiler flags.
# BERTH_JAVA_HOME selects another JDK 25 (the machine's default java is 17); BERTH_*_DIST run another build.
berth_bin=$(dirname "$(readlink -f "$0")")
berth_java="${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"

# berth_need_java: exits with a clear message where the JDK is missing (a launcher calls it before it runs the JVM;
# berth-shim's native start and delete need none).
berth_need_java() {
    if [ ! -x "$berth_java" ]; then
        echo "$(basename "$0"): no JDK 25 at ${berth_java%/bin/java} (set BERTH_JAVA_HOME)" >&2
        exit 1
    fi
}
berth_syscall_lib="${BERTH_SYS_DIST:-$berth_bin/../sys/target}/libberth-syscall.so"

# berth_aot CACHE: the flag that maps the AOT cache the build recorded, or nothing where it made none or where a jar
# beside it (the program's own, or one in lib/) is newer. JDK 25 does not check the class path's jars against the
# cache: a class the training loaded is served from the cache as it was then, so a jar rebuilt without its cache
# (`mvn package -Dexec.skip=true`) would run the old code of those classes without a word.
berth_aot() {
    [ -f "$1" ] || return 0
    for jar in "${1%/*}"/*.jar "${1%/*}"/lib/*.jar; do
        if [ "$jar" -nt "$1" ]; then
            echo "$(basename "$0"): AOT cache $1 is older than $jar; starting without it (rebuild to renew it)" >&2
            return 0
        fi
    done
    echo "-XX:AOTCache=$1"
}

# No perf-data file in /tmp; only errors from the JVM's own logging (the AOT cache's notes would otherwise mix into
# the programs' output); the JNI library, named once here for every program's main to load.
berth_jvm_flags="-XX:-UsePerfData -Xlog:disable -Xlog:all=error:stderr --enable-native-access=ALL-UNNAMED \
-Dberth.syscall.lib=$berth_syscall_lib"
# protobuf-java and netty read memory through sun.misc.Unsafe (every program but the runtime)
berth_unsafe_flags="--sun-misc-unsafe-memory-access=allow"
