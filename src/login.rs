//! Who runs this process: the OS login name, for the audit log, the User-Agent's operator
//! and an assumed role's session name. A leaf: it imports nothing of the crate.

/// The login name of the process's real uid; `$USER` can be set to anything.
#[cfg(unix)]
pub fn os_user() -> String {
    // SAFETY: getpwuid_r writes only into `pwd` and `buf`, whose sizes we pass; `name` points
    // into `buf` and is read before `buf` is dropped.
    unsafe {
        let uid = libc::getuid();
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 4096];
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        if rc == 0 && !result.is_null() && !pwd.pw_name.is_null() {
            let name = std::ffi::CStr::from_ptr(pwd.pw_name).to_string_lossy();
            if !name.is_empty() {
                return name.into_owned();
            }
        }
        format!("uid:{uid}")
    }
}

#[cfg(not(unix))]
pub fn os_user() -> String {
    std::env::var("USERNAME")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}
