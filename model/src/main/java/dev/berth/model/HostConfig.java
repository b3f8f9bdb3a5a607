package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * docker's host configuration (the Docker API's {@code HostConfig}): what a container gets from the host —
 * binds, mounts and tmpfs, the restart policy, the log driver, networking mode and published ports, security
 * (capabilities, privileged, security options, masked and read-only paths) and resources (docker's
 * {@code Resources}, which the Docker API flattens into this object, so they are flat here too).
 */
public record HostConfig(@JsonProperty("Binds") List<String> binds,
        @JsonProperty("ContainerIDFile") String containerIdFile,
        @JsonProperty("LogConfig") LogConfig logConfig,
        @JsonProperty("NetworkMode") String networkMode,
        @JsonProperty("PortBindings") Map<String, List<PortBinding>> portBindings,
        @JsonProperty("RestartPolicy") RestartPolicy restartPolicy,
        @JsonProperty("AutoRemove") Boolean autoRemove,
        @JsonProperty("VolumeDriver") String volumeDriver,
        @JsonProperty("VolumesFrom") List<String> volumesFrom,
        @JsonProperty("CapAdd") List<String> capAdd,
        @JsonProperty("CapDrop") List<String> capDrop,
        @JsonProperty("CgroupnsMode") String cgroupnsMode,
        @JsonProperty("Dns") List<String> dns,
        @JsonProperty("DnsOptions") List<String> dnsOptions,
        @JsonProperty("DnsSearch") List<String> dnsSearch,
        @JsonProperty("ExtraHosts") List<String> extraHosts,
        @JsonProperty("GroupAdd") List<String> groupAdd,
        @JsonProperty("IpcMode") String ipcMode,
        @JsonProperty("Cgroup") String cgroup,
        @JsonProperty("Links") List<String> links,
        @JsonProperty("OomScoreAdj") Integer oomScoreAdj,
        @JsonProperty("PidMode") String pidMode,
        @JsonProperty("Privileged") Boolean privileged,
        @JsonProperty("PublishAllPorts") Boolean publishAllPorts,
        @JsonProperty("ReadonlyRootfs") Boolean readonlyRootfs,
        @JsonProperty("SecurityOpt") List<String> securityOpt,
        @JsonProperty("StorageOpt") Map<String, String> storageOpt,
        @JsonProperty("Tmpfs") Map<String, String> tmpfs,
        @JsonProperty("UTSMode") String utsMode,
        @JsonProperty("UsernsMode") String usernsMode,
        @JsonProperty("ShmSize") Long shmSize,
        @JsonProperty("Sysctls") Map<String, String> sysctls,
        @JsonProperty("Runtime") String runtime,
        @JsonProperty("Isolation") String isolation,
        @JsonProperty("CpuShares") Long cpuShares,
        @JsonProperty("Memory") Long memory,
        @JsonProperty("NanoCpus") Long nanoCpus,
        @JsonProperty("CgroupParent") String cgroupParent,
        @JsonProperty("BlkioWeight") Integer blkioWeight,
        @JsonProperty("CpuPeriod") Long cpuPeriod,
        @JsonProperty("CpuQuota") Long cpuQuota,
        @JsonProperty("CpuRealtimePeriod") Long cpuRealtimePeriod,
        @JsonProperty("CpuRealtimeRuntime") Long cpuRealtimeRuntime,
        @JsonProperty("CpusetCpus") String cpusetCpus,
        @JsonProperty("CpusetMems") String cpusetMems,
        @JsonProperty("Devices") List<DeviceMapping> devices,
        @JsonProperty("DeviceCgroupRules") List<String> deviceCgroupRules,
        @JsonProperty("MemoryReservation") Long memoryReservation,
        @JsonProperty("MemorySwap") Long memorySwap,
        @JsonProperty("MemorySwappiness") Long memorySwappiness,
        @JsonProperty("OomKillDisable") Boolean oomKillDisable,
        @JsonProperty("PidsLimit") Long pidsLimit,
        @JsonProperty("Ulimits") List<Ulimit> ulimits,
        @JsonProperty("Mounts") List<Mount> mounts,
        @JsonProperty("MaskedPaths") List<String> maskedPaths,
        @JsonProperty("ReadonlyPaths") List<String> readonlyPaths,
        @JsonProperty("Init") Boolean init) {

    /** A configuration with every field absent, to start a {@link Builder} from. */
    public static final HostConfig EMPTY = new Builder().build();

    public HostConfig {
        binds = Copies.list(binds);
        portBindings = Copies.map(portBindings);
        volumesFrom = Copies.list(volumesFrom);
        capAdd = Copies.list(capAdd);
        capDrop = Copies.list(capDrop);
        dns = Copies.list(dns);
        dnsOptions = Copies.list(dnsOptions);
        dnsSearch = Copies.list(dnsSearch);
        extraHosts = Copies.list(extraHosts);
        groupAdd = Copies.list(groupAdd);
        links = Copies.list(links);
        securityOpt = Copies.list(securityOpt);
        storageOpt = Copies.map(storageOpt);
        tmpfs = Copies.map(tmpfs);
        sysctls = Copies.map(sysctls);
        devices = Copies.list(devices);
        deviceCgroupRules = Copies.list(deviceCgroupRules);
        ulimits = Copies.list(ulimits);
        mounts = Copies.list(mounts);
        maskedPaths = Copies.list(maskedPaths);
        readonlyPaths = Copies.list(readonlyPaths);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder: each setter returns the builder; {@link #build} makes the record. */
    public static final class Builder {
        private List<String> binds;
        private String containerIdFile;
        private LogConfig logConfig;
        private String networkMode;
        private Map<String, List<PortBinding>> portBindings;
        private RestartPolicy restartPolicy;
        private Boolean autoRemove;
        private String volumeDriver;
        private List<String> volumesFrom;
        private List<String> capAdd;
        private List<String> capDrop;
        private String cgroupnsMode;
        private List<String> dns;
        private List<String> dnsOptions;
        private List<String> dnsSearch;
        private List<String> extraHosts;
        private List<String> groupAdd;
        private String ipcMode;
        private String cgroup;
        private List<String> links;
        private Integer oomScoreAdj;
        private String pidMode;
        private Boolean privileged;
        private Boolean publishAllPorts;
        private Boolean readonlyRootfs;
        private List<String> securityOpt;
        private Map<String, String> storageOpt;
        private Map<String, String> tmpfs;
        private String utsMode;
        private String usernsMode;
        private Long shmSize;
        private Map<String, String> sysctls;
        private String runtime;
        private String isolation;
        private Long cpuShares;
        private Long memory;
        private Long nanoCpus;
        private String cgroupParent;
        private Integer blkioWeight;
        private Long cpuPeriod;
        private Long cpuQuota;
        private Long cpuRealtimePeriod;
        private Long cpuRealtimeRuntime;
        private String cpusetCpus;
        private String cpusetMems;
        private List<DeviceMapping> devices;
        private List<String> deviceCgroupRules;
        private Long memoryReservation;
        private Long memorySwap;
        private Long memorySwappiness;
        private Boolean oomKillDisable;
        private Long pidsLimit;
        private List<Ulimit> ulimits;
        private List<Mount> mounts;
        private List<String> maskedPaths;
        private List<String> readonlyPaths;
        private Boolean init;

        public Builder() {
        }

        Builder(HostConfig c) {
            binds = c.binds;
            containerIdFile = c.containerIdFile;
            logConfig = c.logConfig;
            networkMode = c.networkMode;
            portBindings = c.portBindings;
            restartPolicy = c.restartPolicy;
            autoRemove = c.autoRemove;
            volumeDriver = c.volumeDriver;
            volumesFrom = c.volumesFrom;
            capAdd = c.capAdd;
            capDrop = c.capDrop;
            cgroupnsMode = c.cgroupnsMode;
            dns = c.dns;
            dnsOptions = c.dnsOptions;
            dnsSearch = c.dnsSearch;
            extraHosts = c.extraHosts;
            groupAdd = c.groupAdd;
            ipcMode = c.ipcMode;
            cgroup = c.cgroup;
            links = c.links;
            oomScoreAdj = c.oomScoreAdj;
            pidMode = c.pidMode;
            privileged = c.privileged;
            publishAllPorts = c.publishAllPorts;
            readonlyRootfs = c.readonlyRootfs;
            securityOpt = c.securityOpt;
            storageOpt = c.storageOpt;
            tmpfs = c.tmpfs;
            utsMode = c.utsMode;
            usernsMode = c.usernsMode;
            shmSize = c.shmSize;
            sysctls = c.sysctls;
            runtime = c.runtime;
            isolation = c.isolation;
            cpuShares = c.cpuShares;
            memory = c.memory;
            nanoCpus = c.nanoCpus;
            cgroupParent = c.cgroupParent;
            blkioWeight = c.blkioWeight;
            cpuPeriod = c.cpuPeriod;
            cpuQuota = c.cpuQuota;
            cpuRealtimePeriod = c.cpuRealtimePeriod;
            cpuRealtimeRuntime = c.cpuRealtimeRuntime;
            cpusetCpus = c.cpusetCpus;
            cpusetMems = c.cpusetMems;
            devices = c.devices;
            deviceCgroupRules = c.deviceCgroupRules;
            memoryReservation = c.memoryReservation;
            memorySwap = c.memorySwap;
            memorySwappiness = c.memorySwappiness;
            oomKillDisable = c.oomKillDisable;
            pidsLimit = c.pidsLimit;
            ulimits = c.ulimits;
            mounts = c.mounts;
            maskedPaths = c.maskedPaths;
            readonlyPaths = c.readonlyPaths;
            init = c.init;
        }

        public Builder binds(List<String> v) { binds = v; return this; }
        public Builder containerIdFile(String v) { containerIdFile = v; return this; }
        public Builder logConfig(LogConfig v) { logConfig = v; return this; }
        public Builder networkMode(String v) { networkMode = v; return this; }
        public Builder portBindings(Map<String, List<PortBinding>> v) { portBindings = v; return this; }
        public Builder restartPolicy(RestartPolicy v) { restartPolicy = v; return this; }
        public Builder autoRemove(Boolean v) { autoRemove = v; return this; }
        public Builder volumeDriver(String v) { volumeDriver = v; return this; }
        public Builder volumesFrom(List<String> v) { volumesFrom = v; return this; }
        public Builder capAdd(List<String> v) { capAdd = v; return this; }
        public Builder capDrop(List<String> v) { capDrop = v; return this; }
        public Builder cgroupnsMode(String v) { cgroupnsMode = v; return this; }
        public Builder dns(List<String> v) { dns = v; return this; }
        public Builder dnsOptions(List<String> v) { dnsOptions = v; return this; }
        public Builder dnsSearch(List<String> v) { dnsSearch = v; return this; }
        public Builder extraHosts(List<String> v) { extraHosts = v; return this; }
        public Builder groupAdd(List<String> v) { groupAdd = v; return this; }
        public Builder ipcMode(String v) { ipcMode = v; return this; }
        public Builder cgroup(String v) { cgroup = v; return this; }
        public Builder links(List<String> v) { links = v; return this; }
        public Builder oomScoreAdj(Integer v) { oomScoreAdj = v; return this; }
        public Builder pidMode(String v) { pidMode = v; return this; }
        public Builder privileged(Boolean v) { privileged = v; return this; }
        public Builder publishAllPorts(Boolean v) { publishAllPorts = v; return this; }
        public Builder readonlyRootfs(Boolean v) { readonlyRootfs = v; return this; }
        public Builder securityOpt(List<String> v) { securityOpt = v; return this; }
        public Builder storageOpt(Map<String, String> v) { storageOpt = v; return this; }
        public Builder tmpfs(Map<String, String> v) { tmpfs = v; return this; }
        public Builder utsMode(String v) { utsMode = v; return this; }
        public Builder usernsMode(String v) { usernsMode = v; return this; }
        public Builder shmSize(Long v) { shmSize = v; return this; }
        public Builder sysctls(Map<String, String> v) { sysctls = v; return this; }
        public Builder runtime(String v) { runtime = v; return this; }
        public Builder isolation(String v) { isolation = v; return this; }
        public Builder cpuShares(Long v) { cpuShares = v; return this; }
        public Builder memory(Long v) { memory = v; return this; }
        public Builder nanoCpus(Long v) { nanoCpus = v; return this; }
        public Builder cgroupParent(String v) { cgroupParent = v; return this; }
        public Builder blkioWeight(Integer v) { blkioWeight = v; return this; }
        public Builder cpuPeriod(Long v) { cpuPeriod = v; return this; }
        public Builder cpuQuota(Long v) { cpuQuota = v; return this; }
        public Builder cpuRealtimePeriod(Long v) { cpuRealtimePeriod = v; return this; }
        public Builder cpuRealtimeRuntime(Long v) { cpuRealtimeRuntime = v; return this; }
        public Builder cpusetCpus(String v) { cpusetCpus = v; return this; }
        public Builder cpusetMems(String v) { cpusetMems = v; return this; }
        public Builder devices(List<DeviceMapping> v) { devices = v; return this; }
        public Builder deviceCgroupRules(List<String> v) { deviceCgroupRules = v; return this; }
        public Builder memoryReservation(Long v) { memoryReservation = v; return this; }
        public Builder memorySwap(Long v) { memorySwap = v; return this; }
        public Builder memorySwappiness(Long v) { memorySwappiness = v; return this; }
        public Builder oomKillDisable(Boolean v) { oomKillDisable = v; return this; }
        public Builder pidsLimit(Long v) { pidsLimit = v; return this; }
        public Builder ulimits(List<Ulimit> v) { ulimits = v; return this; }
        public Builder mounts(List<Mount> v) { mounts = v; return this; }
        public Builder maskedPaths(List<String> v) { maskedPaths = v; return this; }
        public Builder readonlyPaths(List<String> v) { readonlyPaths = v; return this; }
        public Builder init(Boolean v) { init = v; return this; }

        public HostConfig build() {
            return new HostConfig(binds, containerIdFile, logConfig, networkMode, portBindings, restartPolicy, autoRemove,
                    volumeDriver, volumesFrom, capAdd, capDrop, cgroupnsMode, dns, dnsOptions, dnsSearch,
                    extraHosts, groupAdd, ipcMode, cgroup, links, oomScoreAdj, pidMode, privileged,
                    publishAllPorts, readonlyRootfs, securityOpt, storageOpt, tmpfs, utsMode, usernsMode,
                    shmSize, sysctls, runtime, isolation, cpuShares, memory, nanoCpus, cgroupParent,
                    blkioWeight, cpuPeriod, cpuQuota, cpuRealtimePeriod, cpuRealtimeRuntime, cpusetCpus,
                    cpusetMems, devices, deviceCgroupRules, memoryReservation, memorySwap, memorySwappiness,
                    oomKillDisable, pidsLimit, ulimits, mounts, maskedPaths, readonlyPaths, init);
        }
    }
}
