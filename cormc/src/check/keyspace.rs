//! The `keyspace` item: replication is required and factors are positive.

use super::context::{Annotate, Context};
use crate::ast;
use crate::diagnostics::Code;
use crate::ir;

/// Checks the keyspace item.
pub(super) fn check_keyspace(keyspace: &ast::Keyspace, ctx: &mut Context) -> Option<ir::Keyspace> {
    let Some(replication) = &keyspace.replication else {
        ctx.error(
            Code::MissingClause,
            format!("keyspace `{}` has no `replication`", keyspace.name.name),
            keyspace.name.span,
            "replication is required",
        )
        .help(
            "add `replication simple(1)` for one node, or `replication network_topology(dc1: 3)`",
        );
        return None;
    };
    let factor = |factor: &ast::UintLit, ctx: &mut Context| match u32::try_from(factor.value) {
        Ok(n @ 1..) => Some(n),
        _ => {
            ctx.error(
                Code::InvalidValue,
                "a replication factor is at least 1",
                factor.span,
                "out of range",
            );
            None
        }
    };
    let replication = match &replication.strategy {
        ast::ReplicationStrategy::Simple { factor: n } => ir::Replication::Simple(factor(n, ctx)?),
        ast::ReplicationStrategy::NetworkTopology { data_centers } => {
            let mut out = Vec::new();
            for dc in data_centers {
                if out.iter().any(|(name, _)| name == &dc.name) {
                    ctx.error(
                        Code::DuplicateMember,
                        format!("datacenter `{}` is given twice", dc.name),
                        dc.span,
                        "again here",
                    );
                    return None;
                }
                out.push((dc.name.clone(), factor(&dc.factor, ctx)?));
            }
            ir::Replication::NetworkTopology(out)
        }
    };
    Some(ir::Keyspace {
        name: keyspace.name.name.clone(),
        doc: keyspace.doc.as_ref().map(|doc| doc.text.clone()),
        replication,
        durable_writes: keyspace.durable_writes.map(|d| d.value.value),
        tenancy: keyspace.tenancy.map(|clause| clause.span),
        span: keyspace.span,
    })
}
