//! People: who is looking at a page, and what they may do where.

use serde::{Deserialize, Serialize};

/// A signed-in person as pages see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub locale: String,
}

/// Powers a person holds. Operators run the deployment (localities, outbox) and hold every
/// power everywhere; the others hold theirs in one locality.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Operator,
    /// Manages staff, departments, categories and settings of a locality.
    Admin,
    /// Hides content, with a reason.
    Moderator,
    /// Handles the reports of their department's categories.
    Staff,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Operator, Role::Admin, Role::Moderator, Role::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Admin => "admin",
            Role::Moderator => "moderator",
            Role::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// One role held in one locality (no locality for operators), optionally for one department.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub locality_id: Option<i64>,
    pub department_id: Option<i64>,
}

/// Who is asking: nobody, or a person with their grants.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user: Option<UserInfo>,
    pub grants: Vec<Grant>,
}

impl Viewer {
    pub fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|u| u.id)
    }

    pub fn is_operator(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::Operator)
    }

    /// Holds `role` in `locality` (operators hold every role everywhere).
    pub fn has_role(&self, role: Role, locality: i64) -> bool {
        self.is_operator()
            || self.grants.iter().any(|g| g.role == role && g.locality_id == Some(locality))
    }

    /// Administrator of `locality`.
    pub fn is_admin(&self, locality: i64) -> bool {
        self.has_role(Role::Admin, locality)
    }

    /// May hide content in `locality`.
    pub fn can_moderate(&self, locality: i64) -> bool {
        self.is_admin(locality) || self.has_role(Role::Moderator, locality)
    }

    /// May move a report of `locality` through its statuses; `departments` are those that
    /// handle the report's category.
    pub fn can_handle_report(&self, locality: i64, departments: &[i64]) -> bool {
        self.is_admin(locality)
            || self.grants.iter().any(|g| {
                g.role == Role::Staff
                    && g.locality_id == Some(locality)
                    && g.department_id.is_none_or(|d| departments.contains(&d))
            })
    }

    /// Speaks for the city hall of `locality`: sees the staff queue, creates polls, publishes
    /// official answers. Administrators and staff do; moderators do not (they hide content,
    /// with a reason, and nothing else).
    pub fn is_staff_of(&self, locality: i64) -> bool {
        self.is_admin(locality)
            || self.grants.iter().any(|g| g.role == Role::Staff && g.locality_id == Some(locality))
    }

    /// Acts as the NGO network's secretariat in `locality`: approves the network's events and
    /// resources and writes its newsletter. Its administrators do, and its staff of the
    /// departments in `secretariat` (or with no department); when the locality marks no
    /// department as the secretariat, all of its staff do.
    pub fn is_network_secretariat(&self, locality: i64, secretariat: &[i64]) -> bool {
        self.is_admin(locality)
            || self.grants.iter().any(|g| {
                g.role == Role::Staff
                    && g.locality_id == Some(locality)
                    && (secretariat.is_empty()
                        || g.department_id.is_none_or(|d| secretariat.contains(&d)))
            })
    }

    /// The department whose reports this person handles in `locality`, if their staff grant
    /// is for one (a grant without a department handles every category).
    pub fn staff_department(&self, locality: i64) -> Option<i64> {
        self.grants
            .iter()
            .find(|g| g.role == Role::Staff && g.locality_id == Some(locality))
            .and_then(|g| g.department_id)
    }

    /// Has a staff-side power anywhere.
    pub fn is_any_staff(&self) -> bool {
        !self.grants.is_empty()
    }
}

/// How a person describes themselves for the civic-budget statistics; never shown publicly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CivicGroup {
    #[default]
    Undisclosed,
    Resident,
    Refugee,
    Migrant,
    Other,
}

impl CivicGroup {
    pub const ALL: [CivicGroup; 5] =
        [Self::Undisclosed, Self::Resident, Self::Refugee, Self::Migrant, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Undisclosed => "undisclosed",
            Self::Resident => "resident",
            Self::Refugee => "refugee",
            Self::Migrant => "migrant",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// A person's own profile, as the account page edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub civic_group: CivicGroup,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(locality: i64, department: Option<i64>) -> Viewer {
        Viewer {
            user: None,
            grants: vec![Grant {
                role: Role::Staff,
                locality_id: Some(locality),
                department_id: department,
            }],
        }
    }

    #[test]
    fn department_staff_handle_only_their_categories_in_their_locality() {
        let v = staff(1, Some(7));
        assert!(v.can_handle_report(1, &[7, 8]));
        assert!(!v.can_handle_report(1, &[8]));
        assert!(!v.can_handle_report(2, &[7]));
        assert!(!v.can_moderate(1));
        assert!(!v.is_admin(1));
    }

    #[test]
    fn the_network_secretariat_is_its_departments_staff_or_all_staff_when_none_is_named() {
        let press = staff(1, Some(7));
        let parks = staff(1, Some(8));
        let general = staff(1, None);
        assert!(press.is_network_secretariat(1, &[7]));
        assert!(!parks.is_network_secretariat(1, &[7]));
        assert!(general.is_network_secretariat(1, &[7]));
        assert!(parks.is_network_secretariat(1, &[]), "no secretariat named: any staff");
        assert!(!press.is_network_secretariat(2, &[]), "not in another locality");
        let admin = Viewer {
            user: None,
            grants: vec![Grant { role: Role::Admin, locality_id: Some(1), department_id: None }],
        };
        assert!(admin.is_network_secretariat(1, &[7]));
        assert!(!Viewer::default().is_network_secretariat(1, &[]));
    }

    #[test]
    fn operators_hold_every_power() {
        let v = Viewer {
            user: None,
            grants: vec![Grant { role: Role::Operator, locality_id: None, department_id: None }],
        };
        assert!(v.is_admin(42) && v.can_moderate(42) && v.can_handle_report(42, &[]));
    }

    #[test]
    fn anonymous_viewers_hold_nothing() {
        let v = Viewer::default();
        assert!(!v.is_any_staff() && !v.can_handle_report(1, &[1]) && v.user_id().is_none());
    }
}
